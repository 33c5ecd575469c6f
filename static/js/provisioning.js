// Console provisioning: POST the job (it answers when the region is ready) and, while it runs,
// poll the region's jobs to move the progress bar. One poll at a time; once the POST has answered,
// late poll answers are ignored so the bar never moves backwards.
(function () {
  "use strict";
  var section = document.getElementById("provisioning");
  if (!section) { return; }
  var api = section.dataset.api;
  var csrf = section.dataset.csrf;
  var POLL_MS = 400;

  function hostUrl(domain) {
    var port = window.location.port ? ":" + window.location.port : "";
    return window.location.protocol + "//" + domain + port + "/";
  }

  function link(domain) {
    var a = document.createElement("a");
    a.href = hostUrl(domain);
    a.textContent = domain;
    return a;
  }

  function setBar(form, progress, failed) {
    var bar = form.querySelector(".progress");
    bar.hidden = false;
    bar.classList.toggle("progress--failed", Boolean(failed));
    bar.setAttribute("aria-valuenow", String(progress));
    bar.firstElementChild.style.width = progress + "%";
  }

  function setStatus(form, nodes, failed) {
    var status = form.querySelector(".provision-status");
    status.classList.toggle("provision-status--failed", Boolean(failed));
    status.textContent = "";
    nodes.forEach(function (node) {
      status.appendChild(typeof node === "string" ? document.createTextNode(node) : node);
    });
  }

  function showRunning(form, job) {
    setBar(form, job.progress || 0, false);
    var running = (job.steps || []).filter(function (s) { return s.status === "running"; })[0];
    setStatus(form, [section.dataset.msgRunning + (running ? " " + running.label : "")], false);
  }

  function showDone(form, job) {
    setBar(form, 100, false);
    var nodes = [section.dataset.msgDone + " "];
    nodes.push(job.domain ? link(job.domain) : job.nama_wilayah);
    nodes.push(". ");
    if (job.admin_email) { nodes.push(section.dataset.msgInvited + " " + job.admin_email + "."); }
    setStatus(form, nodes, false);
    // The row now shows what a reload would: the region is active, no form to fill.
    var row = form.closest("tr");
    var state = row && row.querySelector(".provision-state");
    if (state) {
      var badge = document.createElement("span");
      badge.className = "badge badge--active";
      badge.textContent = section.dataset.labelActive;
      state.textContent = "";
      state.appendChild(badge);
    }
    form.querySelector("input[type=email]").hidden = true;
    form.querySelector("button").hidden = true;
  }

  function showFailed(form, message, progress) {
    setBar(form, progress || 0, true);
    setStatus(form, [section.dataset.msgFailed + ": " + message], true);
    var button = form.querySelector("button");
    button.disabled = false;
  }

  function finish(form, res) {
    if (res.ok && res.body.status === "succeeded") { showDone(form, res.body); }
    else { showFailed(form, res.body.message || res.body.error || "", res.body.progress); }
  }

  // With a Celery worker the POST answers at once with a pending job: poll it until it ends.
  function follow(form, id) {
    fetch(api + id + "/", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      })
      .then(function (res) {
        if (res.ok && !res.body.is_finished) {
          showRunning(form, res.body);
          setTimeout(function () { follow(form, id); }, POLL_MS);
        } else { finish(form, res); }
      })
      .catch(function () { setTimeout(function () { follow(form, id); }, POLL_MS); });
  }

  function start(form) {
    var kode = form.dataset.kode;
    var button = form.querySelector("button");
    var answered = false;
    var timer = null;
    button.disabled = true;
    showRunning(form, { progress: 0, steps: [] });

    function poll() {
      fetch(api + "?kode_wilayah=" + encodeURIComponent(kode), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (jobs) {
          if (answered) { return; }
          // Only this request's job is still running; finished ones are earlier attempts.
          var job = (Array.isArray(jobs) ? jobs : []).filter(function (j) { return !j.is_finished; })[0];
          if (job) { showRunning(form, job); }
        })
        .catch(function () { /* progress is informative; the POST decides */ })
        .then(function () { if (!answered) { timer = setTimeout(poll, POLL_MS); } });
    }
    timer = setTimeout(poll, POLL_MS);

    fetch(api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ kode_wilayah: kode, admin_email: form.elements.admin_email.value })
    })
      .then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      })
      .then(function (res) {
        answered = true;
        clearTimeout(timer);
        if (res.ok && !res.body.is_finished) { follow(form, res.body.id); return; }
        finish(form, res);
      })
      .catch(function () {
        answered = true;
        clearTimeout(timer);
        showFailed(form, section.dataset.msgUnreachable, 0);
      });
  }

  section.querySelectorAll(".provision-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) { return; }
      start(form);
    });
  });
})();
