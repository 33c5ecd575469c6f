// RKA line form: offer the standard prices allowed on the typed account, and show the line's
// total, and the OPD's total against its ceiling, as the volumes are typed. Display only: the
// server computes and checks every amount again.
(function () {
  "use strict";
  var form = document.getElementById("form-rincian");
  if (!form) { return; }
  var rekening = document.getElementById("rekening");
  var item = document.getElementById("standar-harga");
  var ppn = document.getElementById("ppn");
  var hargaOut = document.getElementById("harga-satuan");
  var jumlahOut = document.getElementById("jumlah-baru");
  var opdOut = document.getElementById("opd-menjadi");
  var warn = document.getElementById("peringatan-pagu");
  var totalOpd = document.getElementById("total-opd");
  var paguOpd = document.getElementById("pagu-opd");

  function sen(text) {
    // "1.234,5" or "1234.5" -> integer sen, or NaN
    var t = String(text || "").trim().replace(/\s/g, "");
    if (t.indexOf(",") >= 0) { t = t.replace(/\./g, "").replace(",", "."); }
    if (!/^\d+(\.\d{1,2})?$/.test(t)) { return NaN; }
    var parts = t.split(".");
    return parseInt(parts[0], 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
  }
  function rupiah(cents) {
    var neg = cents < 0; cents = Math.abs(Math.round(cents));
    var whole = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var frac = ("0" + (cents % 100)).slice(-2);
    return "Rp " + (neg ? "-" : "") + whole + "," + frac;
  }
  function update() {
    var option = item.options[item.selectedIndex];
    var price = option ? sen(option.getAttribute("data-harga")) : NaN;
    hargaOut.textContent = isNaN(price) ? "-" : rupiah(price);
    var volume = 1; var any = false;
    form.querySelectorAll("input.volume").forEach(function (input) {
      if (input.value.trim() === "") { return; }
      var v = sen(input.value); any = true;
      volume = isNaN(v) ? NaN : volume * v / 100;
    });
    var total = (!any || isNaN(price) || isNaN(volume)) ? 0 : volume * price;
    if (ppn.checked) { total = total * 1.11; }
    jumlahOut.textContent = rupiah(total);
    if (totalOpd) {
      var after = sen(totalOpd.getAttribute("data-total")) + total;
      opdOut.textContent = rupiah(after);
      var limit = paguOpd ? sen(paguOpd.getAttribute("data-pagu")) : NaN;
      warn.textContent = (!isNaN(limit) && after > limit) ? "melebihi pagu OPD" : "";
    }
  }
  function loadItems() {
    var code = rekening.value.trim();
    if (!/^5(\.\d+){5}$/.test(code)) { return; }
    var url = form.getAttribute("data-harga-url") + "&rekening=" + encodeURIComponent(code);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        item.innerHTML = "";
        rows.forEach(function (row) {
          var o = document.createElement("option");
          o.value = row.kode; o.setAttribute("data-harga", row.harga);
          o.textContent = row.kode + " " + row.nama + " (" + row.satuan + ")";
          item.appendChild(o);
        });
        update();
      });
  }
  rekening.addEventListener("change", loadItems);
  rekening.addEventListener("input", loadItems);
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
}());
