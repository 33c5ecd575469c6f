// Console provisioning: POST the job, then poll it and move the progress bar until it finishes.
(function () {
  "use strict";
  var section = document.getElementById("provisioning");
  if (!section) { return; }
  var api = section.dataset.api;
  var csrf = section.dataset.csrf;

  function show(form, job) {
    var bar = form.querySelector(".progress");
    var status = form.querySelector(".provision-status");
    bar.hidden = false;
    bar.setAttribute("aria-valuenow", String(job.progress));
    bar.firstElementChild.style.width = job.progress + "%";
    if (job.status === "succeeded") {
      status.textContent = section.dataset.msgDone + (job.domain ? " (" + job.domain + ")" : "");
    } else if (job.status === "failed") {
      status.textContent = section.dataset.msgFailed + ": " + job.error;
    } else {
      var running = (job.steps || []).filter(function (s) { return s.status === "running"; })[0];
      status.textContent = section.dataset.msgRunning + (running ? " " + running.label : "");
    }
  }

  function poll(form, url) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var job = Array.isArray(data) ? data[0] : data;
        if (!job) { return; }
        show(form, job);
        if (!job.is_finished) { setTimeout(function () { poll(form, api + job.id + "/"); }, 300); }
      });
  }

  section.querySelectorAll(".provision-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var kode = form.dataset.kode;
      var button = form.querySelector("button");
      button.disabled = true;
      show(form, { progress: 0, status: "running", steps: [] });
      // Poll by region while the POST runs: the job appears as soon as it is recorded.
      var polling = setInterval(function () { poll(form, api + "?kode_wilayah=" + encodeURIComponent(kode)); }, 300);
      fetch(api, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ kode_wilayah: kode, admin_email: form.elements.admin_email.value })
      }).then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      }).then(function (res) {
        clearInterval(polling);
        if (res.ok) { show(form, res.body); }
        else {
          show(form, { progress: 0, status: "failed", error: res.body.message });
          button.disabled = false;
        }
      });
    });
  });
})();
