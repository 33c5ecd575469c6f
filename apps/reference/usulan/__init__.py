"""Standard-price change requests (usulan SSH): proposed by an OPD, approved by BPKAD and TAPD
(two different people), effective in the price list in force only then; every item's price
history stays readable."""
