// Readiness tracker web UI: small enhancements on top of server-rendered pages and htmx. Everything here is
// optional: without JavaScript the forms still post and the pages still render (uploading excepted).
(function () {
  'use strict';

  var csrfToken = function () {
    return document.body.getAttribute('data-csrf-token') || '';
  };

  // Forms that destroy something ask first (unenroll, remove a member, deactivate a user).
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var question = form && form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) e.preventDefault();
  }, true);

  // Control matrix: "select all shown" and the count of selected controls in the bulk bar.
  function updateSelection() {
    var boxes = document.querySelectorAll('input[name="ids"][form="bulk"]');
    var checked = 0;
    boxes.forEach(function (b) { if (b.checked) checked++; });
    var all = document.querySelector('[data-select-all]');
    if (all) {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
    var count = document.getElementById('bulk-count');
    if (count) count.textContent = checked === 0 ? 'Select controls below, then:' : checked + ' selected. Apply to them:';
  }
  document.addEventListener('change', function (e) {
    var t = e.target;
    if (t.matches && t.matches('[data-select-all]')) {
      document.querySelectorAll('input[name="ids"][form="bulk"]').forEach(function (b) { b.checked = t.checked; });
      updateSelection();
    } else if (t.matches && t.matches('input[name="ids"][form="bulk"]')) {
      updateSelection();
    } else if (t.matches && t.matches('[data-applicability]')) {
      syncJustification(t, true);
    }
  });

  // "Not applicable" asks for a justification: the field shows (and takes focus) only then.
  function syncJustification(select, focus) {
    var form = select.closest('form');
    var box = form && form.querySelector('[data-justification]');
    if (!box) return;
    var notApplicable = select.value === 'false';
    var hasError = box.querySelector('.field-error');
    box.hidden = !notApplicable && !hasError;
    if (notApplicable && focus) {
      var area = box.querySelector('textarea');
      if (area) area.focus();
    }
  }

  function init(root) {
    root.querySelectorAll('[data-applicability]').forEach(function (s) { syncJustification(s, false); });
    root.querySelectorAll('form[data-upload-url]').forEach(initUpload);
    updateSelection();
  }

  // Evidence upload: drag and drop or choose, then one XMLHttpRequest (for its progress events) to the API, with
  // the CSRF token in a header, as the session cookie authenticates it.
  function initUpload(form) {
    if (form.getAttribute('data-ready')) return;
    form.setAttribute('data-ready', '1');
    var input = form.querySelector('input[type="file"]');
    var zone = form.querySelector('[data-dropzone]');
    var nameEl = form.querySelector('[data-file-name]');
    var statusEl = form.querySelector('[data-upload-status]');
    var progress = form.querySelector('progress');
    var title = form.querySelector('input[name="title"]');
    var button = form.querySelector('button[type="submit"]');
    var maxBytes = Number(form.getAttribute('data-max-bytes')) || 0;
    var file = null;

    function say(message, isError) {
      statusEl.textContent = message;
      statusEl.classList.toggle('is-error', !!isError);
      statusEl.setAttribute('role', isError ? 'alert' : 'status');
    }
    function size(n) {
      var units = ['B', 'KB', 'MB', 'GB'];
      var i = 0;
      while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
      return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
    }
    function choose(f) {
      file = f || null;
      nameEl.textContent = file ? 'Selected: ' + file.name + ' (' + size(file.size) + ')' : 'No file chosen.';
      if (file && title && !title.value) title.value = file.name.replace(/\.[^.]+$/, '');
      say('', false);
    }

    input.addEventListener('change', function () { choose(input.files && input.files[0]); });
    ['dragenter', 'dragover'].forEach(function (type) {
      zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add('is-dragover'); });
    });
    ['dragleave', 'dragend', 'drop'].forEach(function (type) {
      zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.remove('is-dragover'); });
    });
    zone.addEventListener('drop', function (e) {
      var files = e.dataTransfer && e.dataTransfer.files;
      if (files && files.length) choose(files[0]);
      if (files && files.length > 1) say('Only the first file is uploaded; drop the others one at a time.', false);
    });

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (!file) return say('Choose or drop a file first.', true);
      if (file.size === 0) return say('The file is empty.', true);
      if (maxBytes && file.size > maxBytes) return say('The file is larger than the limit of ' + size(maxBytes) + '.', true);

      var data = new FormData();
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && el.type !== 'file' && el.value) data.append(el.name, el.value);
      });
      if (!data.has('title')) data.append('title', file.name);
      data.append('file', file, file.name); // after the text fields: the server streams the file as it arrives

      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.getAttribute('data-upload-url'));
      xhr.setRequestHeader('x-csrf-token', csrfToken());
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.addEventListener('progress', function (ev) {
        if (ev.lengthComputable) progress.value = Math.round((ev.loaded / ev.total) * 100);
      });
      xhr.addEventListener('load', function () {
        button.disabled = false;
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
        if (xhr.status >= 200 && xhr.status < 300) {
          progress.value = 100;
          form.reset();
          choose(null);
          say('Uploaded “' + (body.title || '') + '”.', false);
          refreshList();
        } else if (xhr.status === 401) {
          say('Your session has ended. Sign in again, then upload.', true);
        } else {
          say(body.message || 'The upload failed (' + xhr.status + ').', true);
        }
      });
      xhr.addEventListener('error', function () {
        button.disabled = false;
        say('The upload did not reach the server. Check the connection and try again.', true);
      });
      progress.hidden = false;
      progress.value = 0;
      button.disabled = true;
      say('Uploading…', false);
      xhr.send(data);
    });
  }

  function refreshList() {
    var list = document.getElementById('evidence-list');
    if (!list) return;
    if (window.htmx) {
      window.htmx.ajax('GET', window.location.pathname + window.location.search, { target: '#evidence-list', select: '#evidence-list', swap: 'outerHTML' });
    } else {
      window.location.reload();
    }
  }

  // htmx: initialise swapped-in content; keep the selection count right after the matrix is replaced.
  document.addEventListener('htmx:load', function (e) { init(e.detail.elt); });
  document.addEventListener('htmx:afterSettle', updateSelection);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { init(document); });
  } else {
    init(document);
  }
})();
