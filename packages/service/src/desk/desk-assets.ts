import { createRouter } from '../http/create-router.js';

/**
 * The live board's script (DESK_CSP allows scripts from this origin only, none inline): it
 * listens to the task's event stream and, on each change, fetches the board's fragment from the
 * service and puts it in place — the page is rendered by the server alone. It waits while the
 * dispatcher is filling in a phone form on the board, and counts the time left down each minute.
 */
export const BOARD_JS = `'use strict';
(function () {
  var board = document.getElementById('board');
  if (!board) return;
  var live = document.getElementById('live-state');
  var en = document.documentElement.lang === 'en';
  var say = function (zh, english) { if (live) live.textContent = en ? english : zh; };
  var left = function (iso) {
    var ms = new Date(iso).getTime() - Date.now();
    if (ms <= 0) return en ? 'past' : '已截止';
    var minutes = Math.floor(ms / 60000), d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
    return en ? (d > 0 ? d + ' d ' : '') + h + ' h ' + m + ' min' : (d > 0 ? d + ' 天 ' : '') + h + ' 小时 ' + m + ' 分';
  };
  var tick = function () {
    var times = board.querySelectorAll('time[data-deadline]');
    for (var i = 0; i < times.length; i++) times[i].textContent = left(times[i].getAttribute('data-deadline'));
  };
  setInterval(tick, 30000);
  var pending = false;
  var busy = function () { return board.querySelector('details[open]') !== null; };
  var refresh = function () {
    if (busy()) { pending = true; return; }
    pending = false;
    fetch(board.getAttribute('data-fragment'), { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) return;
        if (busy()) { pending = true; return; }
        board.innerHTML = html;
        board.setAttribute('data-updated', String(Date.now()));
      })
      .catch(function () { pending = true; });
  };
  setInterval(function () { if (pending) refresh(); }, 2000);
  if (typeof EventSource !== 'function') { say('浏览器不支持实时更新，请刷新页面', 'No live updates in this browser: reload the page'); return; }
  var source = new EventSource(board.getAttribute('data-events'));
  source.addEventListener('task', function () {
    say('实时更新：已连接', 'Live: connected');
    refresh();
  });
  source.onerror = function () { say('实时更新：正在重新连接…', 'Live: reconnecting…'); };
})();
`;

/** Script files of the desk, served from the package (no CDN). */
export const deskAssetRoutes = createRouter();

deskAssetRoutes.get('/desk/assets/board.js', (c) => {
  c.header('Content-Type', 'text/javascript; charset=utf-8');
  c.header('Cache-Control', 'no-cache');
  return c.body(BOARD_JS);
});
