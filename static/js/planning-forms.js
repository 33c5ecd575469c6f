/* E-planning forms: the sub kegiatan search (a few matches at a time, never the whole
   nomenclature), desa options narrowed to the chosen kecamatan, and the recommendation fields
   each kind uses. Without JavaScript every form still works: codes are typed. */
(function () {
  "use strict";

  function searchSubKegiatan(form) {
    var url = form.getAttribute("data-search-url");
    var input = form.querySelector("input[data-search='sub-kegiatan']");
    var list = form.querySelector("datalist");
    if (!url || !input || !list) { return; }
    var names = {};
    var timer = null;
    var shown = form.querySelector(".sub-kegiatan-nama");
    if (shown) { input.parentNode.insertBefore(shown, input.nextSibling); }
    function showName() {
      if (shown) { shown.textContent = names[input.value.trim()] || ""; }
    }
    function search() {
      showName();
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { return; }
      timer = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { hasil: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.hasil.forEach(function (row) {
              names[row.kode] = row.nama;
              var option = document.createElement("option");
              option.value = row.kode;
              option.textContent = row.kode + " " + row.nama;
              list.appendChild(option);
            });
            showName();
          })
          .catch(function () { /* the code can still be typed */ });
      }, 250);
    }
    input.addEventListener("input", search);
    form.addEventListener("submit", function () { clearTimeout(timer); });
  }

  function narrowDesa(form) {
    var kecamatan = form.querySelector("select[name$='kecamatan']");
    var desa = form.querySelector("select[name$='desa']");
    if (!kecamatan || !desa) { return; }
    function apply() {
      var chosen = kecamatan.value;
      Array.prototype.forEach.call(desa.options, function (option) {
        option.hidden = Boolean(chosen && option.value && option.value.indexOf(chosen + ".") !== 0);
      });
    }
    kecamatan.addEventListener("change", apply);
    apply();
  }

  var USES = {
    terima: ["opd"],
    terima_ubah: ["ubah_usulan", "ubah_volume", "ubah_satuan", "ubah_biaya", "opd"],
    tolak: ["alasan"],
    teruskan_opd: ["opd", "alasan"]
  };
  var OPTIONAL = ["alasan", "ubah_usulan", "ubah_volume", "ubah_satuan", "ubah_biaya", "opd"];

  function recommendationFields(form) {
    var kinds = form.querySelectorAll("input[name='jenis']");
    if (!kinds.length) { return; }
    function apply() {
      var chosen = form.querySelector("input[name='jenis']:checked");
      var used = chosen ? USES[chosen.value] || [] : OPTIONAL;
      OPTIONAL.forEach(function (name) {
        var box = form.querySelector("[data-field='" + name + "']");
        if (box) {
          box.hidden = used.indexOf(name) < 0 && !box.classList.contains("field--error");
        }
      });
    }
    Array.prototype.forEach.call(kinds, function (k) { k.addEventListener("change", apply); });
    apply();
  }

  document.querySelectorAll("form.entry-form").forEach(function (form) {
    searchSubKegiatan(form);
    narrowDesa(form);
  });
  document.querySelectorAll("form.recommend-form").forEach(recommendationFields);
})();
