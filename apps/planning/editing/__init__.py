"""Pages that write e-planning data: the calendar, OPD ceilings, RKPD entries, the Renja review,
Musrenbang proposals, forum recommendations and pokir. Each form posts to a view of its own that
checks the role through apps.access and calls one service; a refusal is shown next to the field
it names, with what was typed kept."""
