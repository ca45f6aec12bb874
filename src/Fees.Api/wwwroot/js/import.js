// The import page's progress bar (issue 12 §1). Progressive enhancement: without this script the forms post as they
// always did. With it, a form is sent by XMLHttpRequest with a run id chosen here; the bar shows the upload's bytes,
// then the server's own progress through the file (the run's record, read every second from ?handler=Run), and the
// page's answer (the same result or error list as without the script) replaces the bar's last words.
(function () {
    'use strict';
    var panel = document.getElementById('import-progress');
    var answer = document.getElementById('import-answer');
    if (!panel || !answer || !window.XMLHttpRequest || !window.FormData || !window.DOMParser || !window.fetch || !window.crypto) {
        return;
    }
    var title = document.getElementById('import-progress-title');
    var bar = document.getElementById('import-progress-bar');
    var text = document.getElementById('import-progress-text');
    var forms = document.querySelectorAll('form.import');
    var number = new Intl.NumberFormat('vi-VN');
    var busy = false;

    // A version 4 uuid from crypto.getRandomValues (crypto.randomUUID needs a secure context).
    function newRunId() {
        var b = crypto.getRandomValues(new Uint8Array(16));
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
        return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
    }

    function percent(done, total) {
        return total > 0 ? Math.min(100, Math.floor(done * 100 / total)) : 0;
    }

    function show(heading, value, max, words) {
        panel.hidden = false;
        title.textContent = heading;
        if (value === null) {
            bar.removeAttribute('value'); // indeterminate: a phase with no measure of its own
        } else {
            bar.max = max;
            bar.value = value;
        }
        bar.setAttribute('data-phase', heading);
        text.textContent = words;
    }

    function setBusy(on) {
        busy = on;
        forms.forEach(function (f) {
            f.querySelectorAll('button, input[type=file]').forEach(function (el) { el.disabled = on; });
        });
    }

    // The server's record of the run: bytes of the file the importer has consumed, then the phases after reading.
    function showRun(run) {
        if (run.phase === 'reading' && run.bytesTotal) {
            show(run.phaseTitle, run.bytesRead, run.bytesTotal,
                percent(run.bytesRead, run.bytesTotal) + ' % · ' + number.format(Math.max(0, run.linesRead - 1)) + ' dòng · '
                + number.format(Math.round(run.bytesRead / 1048576)) + ' / ' + number.format(Math.round(run.bytesTotal / 1048576)) + ' MB');
        } else if (run.phase === 'done') {
            show(run.phaseTitle, 1, 1, run.result
                ? 'Thêm mới: ' + number.format(run.result.created) + ' · Cập nhật: ' + number.format(run.result.updated) + ' · Không thay đổi: ' + number.format(run.result.unchanged)
                : '');
        } else if (run.phase === 'rejected' || run.phase === 'failed' || run.phase === 'interrupted') {
            show(run.phaseTitle, 0, 1, run.errorCount ? 'Số lỗi: ' + number.format(run.errorCount) : '');
        } else if (run.phase === 'waiting') {
            show(run.phaseTitle, null, 1, 'Một lượt nhập khác đang chạy; tệp của bạn sẽ được nhập ngay sau đó.');
        } else if (run.phase === 'receiving') {
            show(run.phaseTitle, null, 1, 'Máy chủ đang nhận và kiểm tra mã UTF-8 của tệp.');
        } else {
            show(run.phaseTitle, null, 1, 'Đã đọc hết ' + number.format(Math.max(0, run.linesRead - 1)) + ' dòng của tệp.');
        }
    }

    function poll(runId, isOver) {
        var timer = null;
        function tick() {
            fetch('?handler=Run&id=' + encodeURIComponent(runId), { credentials: 'same-origin', headers: { Accept: 'application/json' }, cache: 'no-store' })
                .then(function (r) { return r.ok ? r.json() : null; })
                .then(function (run) {
                    if (isOver()) {
                        return;
                    }
                    if (run) {
                        showRun(run);
                        if (['done', 'rejected', 'failed', 'interrupted'].indexOf(run.phase) >= 0) {
                            return; // finished: the page's answer (or, after a lost connection, this record) is the last word
                        }
                    } else {
                        show('Đang nhận tệp', null, 1, 'Máy chủ đang nhận tệp, chưa bắt đầu đọc.');
                    }
                    timer = setTimeout(tick, 1000);
                })
                .catch(function () {
                    if (!isOver()) {
                        timer = setTimeout(tick, 2000);
                    }
                });
        }
        tick();
        return function () { clearTimeout(timer); };
    }

    function send(form) {
        var input = form.querySelector('input[type=file]');
        var file = input.files[0];
        var data = new FormData(form);
        var runId = newRunId();
        data.set('runId', runId);
        answer.innerHTML = '';
        setBusy(true);
        show('Đang tải lên ' + file.name, 0, file.size || 1, '0 %');

        var over = false;
        var stopPolling = function () { };
        var xhr = new XMLHttpRequest();
        xhr.open('POST', form.getAttribute('action') || window.location.pathname);
        xhr.upload.onprogress = function (e) {
            if (e.lengthComputable) {
                show('Đang tải lên ' + file.name, e.loaded, e.total, 'Đang tải lên … ' + percent(e.loaded, e.total) + ' %');
            }
        };
        xhr.upload.onload = function () {
            show('Đã tải lên ' + file.name, null, 1, 'Máy chủ đang nhận tệp…');
            stopPolling = poll(runId, function () { return over; });
        };
        xhr.onload = function () {
            over = true;
            stopPolling();
            setBusy(false);
            var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
            var sections = doc.querySelectorAll('#import-answer > section');
            if (sections.length === 0 && /\/dang-nhap/.test(xhr.responseURL || '')) {
                show('Phiên đăng nhập đã hết hạn', 0, 1, 'Tệp chưa được nhập. Hãy đăng nhập lại rồi nhập lại tệp.');
                return;
            }
            if (sections.length === 0) {
                show('Không nhập được', 0, 1, 'Máy chủ trả lời mã ' + xhr.status + '; chưa có dòng nào được nhập. Hãy tải lại trang rồi thử lại.');
                return;
            }
            sections.forEach(function (s) { answer.appendChild(document.importNode(s, true)); });
            if (xhr.status === 200) {
                show('Hoàn tất', 1, 1, 'Đã nhập xong tệp ' + file.name + '.');
            } else {
                show('Chưa nhập', 0, 1, 'Tệp ' + file.name + ' chưa được nhập: xem các lỗi bên dưới.');
            }
        };
        xhr.onerror = function () {
            // The connection dropped: the import may still be running or finished on the server. Its record says.
            setBusy(false);
            show('Mất kết nối với máy chủ', null, 1, 'Đang hỏi lại máy chủ về lượt nhập này…');
            stopPolling();
            stopPolling = poll(runId, function () { return over; });
        };
        xhr.send(data);
    }

    forms.forEach(function (form) {
        form.addEventListener('submit', function (e) {
            e.preventDefault();
            var input = form.querySelector('input[type=file]');
            if (!busy && input && input.files.length > 0) {
                send(form);
            }
        });
    });
})();
