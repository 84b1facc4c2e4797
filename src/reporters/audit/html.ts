import { DECISION_HEADER, pageEvents, SCRIPT_CAUSE, SCRIPT_DECISION, SCRIPT_QUESTION } from './html-action';
import { breakGlassSentence } from './summary';
import type { UnreadableCommit } from '../../audit/walk';
import type { AuditReport } from './types';

/**
 * One self-contained page an auditor can open offline: the events with
 * filters (break-glass access among them), a timeline of access per person or per account, the commit and
 * pull request of every event, and the direct pushes and unreadable commits.
 * No external resource is loaded; data is embedded as JSON and put on the
 * page with textContent only, so nothing from the files can run as markup.
 *
 * The page is made of fixed parts (head and styles, the events table with its filters, the timeline)
 * and the report's data, embedded as JSON; the script (pageScript) renders it in the browser.
 */
export function formatAuditHtml(r: AuditReport): string {
  const asked = r.question !== undefined;
  return [pageHead(), PAGE_HEADER, EVENT_FILTERS, eventsTable(asked), TIMELINE, dataScript(auditData(r)), pageScript(asked), PAGE_END].join('');
}

// --- The data: what the script reads, and how it is embedded.

/** The report as the page's script reads it. */
function auditData(r: AuditReport): object {
  return {
    events: pageEvents(r),
    directPushes: r.directPushes,
    unreadable: r.unreadable.map((u) => ({ commit: u.commit, date: u.date, author: u.author, subject: u.subject, error: firstError(u) })),
    commits: r.commits,
    range: r.range,
    repoUrl: r.repoUrl ?? null,
    generated: r.generated,
    breakGlassSummary: breakGlassSentence(r.events),
    ...(r.question ? { question: r.question } : {}),
  };
}

/** The first diagnostic that made the commit unreadable, as one line. */
function firstError(u: UnreadableCommit): string {
  const d = u.diagnostics[0];
  return d ? `${d.file}:${d.line} ${d.code} ${d.message}` : '';
}

/** The data as a JSON script element: escaped so no text in it can close the element or break the script. */
function dataScript(data: object): string {
  return `<script type="application/json" id="audit-data">${scriptSafeJson(data)}</script>\n`;
}

/** JSON with `<` and the JavaScript line terminators U+2028 and U+2029 escaped. */
function scriptSafeJson(data: object): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

// --- The markup: head and styles, then the page's sections in order.

/** The document head: its styles, and a Content-Security-Policy that allows only inline styles and script. */
function pageHead(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Access audit</title>
${STYLES}</head>
`;
}

/** The page's styles: the events table, the break-glass badge, the timeline's lanes and bars. */
const STYLES = `<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1f24; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  .muted { color: #57606a; }
  .warn { background: #fff8c5; border: 1px solid #d4a72c; padding: 8px 12px; margin: 12px 0; border-radius: 6px; }
  fieldset { border: 1px solid #d0d7de; border-radius: 6px; margin: 16px 0; padding: 8px 12px; }
  label { margin-right: 12px; white-space: nowrap; }
  input, select { font: inherit; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border-bottom: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
  th { background: #f6f8fa; position: sticky; top: 0; }
  tr.added td.action { color: #1a7f37; } tr.removed td.action { color: #cf222e; }
  .badge { display: inline-block; margin-left: 6px; padding: 0 6px; border: 1px solid #bc4c00; border-radius: 10px; ` +
  `background: #fff1e5; color: #bc4c00; font-size: 12px; font-weight: 600; }
  #timeline { margin-top: 8px; }
  .lane { display: flex; align-items: center; height: 22px; }
  .lane .name { width: 280px; flex: none; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .lane .track { position: relative; flex: 1; height: 14px; background: #f6f8fa; }
  .bar { position: absolute; top: 0; height: 14px; background: #2da44e; border-radius: 3px; min-width: 2px; }
  .bar.break-glass { background: #bc4c00; }
  .axis { display: flex; justify-content: space-between; margin-left: 280px; }
</style>
`;

/** The title, the summary line and the warnings (direct pushes, unreadable commits), filled by the script. */
const PAGE_HEADER = `<body>
<h1>Access audit</h1>
<p class="muted" id="summary"></p>
<div id="warnings"></div>
`;

/** The filters, which apply to the events table and the timeline alike. */
const EVENT_FILTERS = `<fieldset>
  <legend>Filter events</legend>
  <label>User <input id="filter-user" type="search" placeholder="login"></label>
  <label>Account <input id="filter-account" type="search" placeholder="name or id"></label>
  <label>Permission set <input id="filter-ps" type="search"></label>
  <label>Action <select id="filter-action"><option value="">any</option>` +
  `<option value="added">added</option><option value="removed">removed</option></select></label>
  <label>From <input id="filter-since" type="date"></label>
  <label>Until <input id="filter-until" type="date"></label>
  <label><input id="filter-direct" type="checkbox"> only changes without a pull request</label>
  <label><input id="filter-break-glass" type="checkbox"> only break-glass access</label>
</fieldset>
`;

/** The events table, one row per event, filled by the script; with --action a Decision column after Via. */
function eventsTable(asked: boolean): string {
  return `<p><strong id="count"></strong></p>
<table id="events">
  <thead><tr><th>Date (UTC)</th><th>Action</th><th>User</th><th>Account</th><th>Permission set</th>` +
  `<th>Via</th>${asked ? DECISION_HEADER : ''}<th>Commit</th><th>PR</th><th>Author</th></tr></thead>
  <tbody></tbody>
</table>
`;
}

/** The timeline: of a person or an account (the subject), one lane per access it had. */
const TIMELINE = `<fieldset>
  <legend>Timeline</legend>
  <label>Of <select id="timeline-kind"><option value="user">a person</option><option value="account">an account</option></select></label>
  <label><select id="timeline-subject"></select></label>
  <div id="timeline"></div>
</fieldset>
`;

// --- The script: it reads the embedded data and renders the page. The parts below are pieces of one
// function, joined in order; they share its variables (data, $, el, first, last, intervals, the render functions).

/** The page's script: helpers, the summary and warnings, the filters, the events table, the timeline. */
function pageScript(asked: boolean): string {
  return [
    '<script>\n(function () {\n',
    SCRIPT_HELPERS,
    SCRIPT_SUMMARY,
    asked ? SCRIPT_QUESTION : '',
    SCRIPT_FILTERS,
    SCRIPT_EVENTS_START,
    asked ? SCRIPT_CAUSE : '',
    SCRIPT_EVENTS_CELLS,
    asked ? SCRIPT_DECISION : '',
    SCRIPT_EVENTS_END,
    SCRIPT_INTERVALS,
    SCRIPT_SUBJECTS,
    SCRIPT_TIMELINE,
    SCRIPT_START,
    '})();\n</script>\n',
  ].join('');
}

/** The data, and helpers that make elements (text only, through textContent) and links to commits and pull requests. */
const SCRIPT_HELPERS = `  'use strict';
  var data = JSON.parse(document.getElementById('audit-data').textContent);
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, text, cls) { var e = document.createElement(tag); ` +
  `if (text !== undefined && text !== null) e.textContent = String(text); if (cls) e.className = cls; return e; }
  function link(href, text) { var a = el('a', text); a.href = href; a.rel = 'noreferrer'; return a; }
  function commitCell(c) { if (!c) return el('span', ''); ` +
  `return data.repoUrl ? link(data.repoUrl + '/commit/' + c, c.slice(0, 12)) : el('code', c.slice(0, 12)); }
  function prCell(p) { if (p === null) return el('span', ''); return data.repoUrl ? link(data.repoUrl + '/pull/' + p, '#' + p) : el('span', '#' + p); }

`;

/** The summary line, and the warnings about direct pushes and unreadable commits. */
const SCRIPT_SUMMARY = `  $('summary').textContent = data.events.length + ' access events from ' + data.commits + ' commits that changed the access files' +
    (data.range.since ? ', from ' + data.range.since : '') + (data.range.until ? ', until ' + data.range.until : '') + '. ' + ` +
  `data.breakGlassSummary + 'Generated ' + data.generated + '.';
  if (data.directPushes.length) {
    var w = el('div', null, 'warn'); w.id = 'direct-pushes';
    w.appendChild(el('strong', data.directPushes.length + ' change(s) without a pull request: '));
    w.appendChild(el('span', data.directPushes.map(function (d) { ` +
  `return d.date + ' ' + d.commit.slice(0, 12) + ' by ' + d.author + ' (' + d.subject + ')'; }).join('; ')));
    $('warnings').appendChild(w);
  }
  if (data.unreadable.length) {
    var u = el('div', null, 'warn'); u.id = 'unreadable';
    u.appendChild(el('strong', data.unreadable.length + ' commit(s) whose access files did not validate: '));
    u.appendChild(el('span', data.unreadable.map(function (x) { return x.date + ' ' + x.commit.slice(0, 12) + ': ' + x.error; }).join('; ')));
    $('warnings').appendChild(u);
  }

`;

/** Whether an event passes the filters. */
const SCRIPT_FILTERS = `  // The filters of the page, by the names of an event (user, account, permission set) and by the rest.
  function matchesNames(e) {
    var user = $('filter-user').value.trim().toLowerCase();
    var account = $('filter-account').value.trim().toLowerCase();
    var ps = $('filter-ps').value.trim().toLowerCase();
    if (user && e.user.toLowerCase().indexOf(user) < 0) return false;
    if (account && e.account.toLowerCase().indexOf(account) < 0 && e.accountId.indexOf(account) < 0) return false;
    if (ps && e.permissionSet.toLowerCase().indexOf(ps) < 0) return false;
    return true;
  }
  function eventFilters() { return $('filter-action').value !== '' || $('filter-direct').checked || $('filter-break-glass').checked; }
  function matches(e) {
    var action = $('filter-action').value;
    var since = $('filter-since').value;
    var until = $('filter-until').value;
    if (!matchesNames(e)) return false;
    if (action && e.action !== action) return false;
    if (since && e.date.slice(0, 10) < since) return false;
    if (until && e.date.slice(0, 10) > until) return false;
    if ($('filter-direct').checked && !e.direct) return false;
    if ($('filter-break-glass').checked && !e.breakGlass) return false;
    return true;
  }

`;

/** The events table: a row per event, its cells in the order of the header (with --action, html-action.ts adds to it). */
const SCRIPT_EVENTS_START = `  function renderEvents() {
    var body = $('events').tBodies[0];
    while (body.firstChild) body.removeChild(body.firstChild);
    var shown = data.events.filter(matches);
    shown.forEach(function (e) {
      var tr = el('tr', null, e.action + (e.breakGlass ? ' break-glass' : ''));
      tr.appendChild(el('td', e.date.replace('T', ' ').replace('Z', '')));
      var action = el('td', e.reason === 'expired' ? 'removed (expired)' : e.action + (e.direct ? ' (no PR)' : ''), 'action');
      if (e.breakGlass) { action.appendChild(document.createTextNode(' ')); action.appendChild(el('span', 'break-glass', 'badge')); }
      tr.appendChild(action);
`;
const SCRIPT_EVENTS_CELLS = `      tr.appendChild(el('td', e.user));
      tr.appendChild(el('td', e.account + ' (' + e.accountId + ')'));
      tr.appendChild(el('td', e.permissionSet));
      tr.appendChild(el('td', e.via.join(', ')));
`;
const SCRIPT_EVENTS_END = `      var c = el('td'); c.appendChild(commitCell(e.commit)); tr.appendChild(c);
      var p = el('td'); p.appendChild(prCell(e.pr)); tr.appendChild(p);
      tr.appendChild(el('td', e.author || ''));
      body.appendChild(tr);
    });
    $('count').textContent = shown.length + ' of ' + data.events.length + ' events';
  }

`;

/** Intervals of access, from an added event to the removed one, and those the filters let through. */
const SCRIPT_INTERVALS = `  // The timeline follows every filter: the report's range (--since, --until) and the page's. Each
  // interval of access runs from an added event to the removed one; access the range starts in begins
  // at its start. An interval is drawn when one of its two events passes the filters, or, with no
  // filter on action, direct pushes or break-glass, when it overlaps the dates filtered on; bars are cut to them.
  var day = function (t) { return t.slice(0, 10); };
  var first = data.range.since ? day(data.range.since) : data.events.length ? day(data.events[0].date) : day(data.generated);
  var last = data.range.until && day(data.range.until) < day(data.generated) ? day(data.range.until) : day(data.generated);
  var intervals = (function () {
    var open = {}; var out = [];
    data.events.forEach(function (e) {
      var k = e.user + '\u0000' + e.accountId + '\u0000' + e.permissionSet;
      var iv = open[k];
      if (e.action === 'added') {
        if (!iv) { open[k] = { from: day(e.date), to: null, start: e, end: null, breakGlass: e.breakGlass === true }; out.push(open[k]); }
        return;
      }
      if (!iv) { iv = { from: null, to: null, start: null, end: null, breakGlass: e.breakGlass === true }; out.push(iv); }
      iv.to = day(e.date); iv.end = e; delete open[k];
    });
    return out;
  })();
  function laneOf(kind, e) { return kind === 'user' ? e.account + ' (' + e.accountId + ') ' + e.permissionSet : e.user + ' ' + e.permissionSet; }
  function subjectOf(kind, e) { return kind === 'user' ? e.user : e.account + ' (' + e.accountId + ')'; }
  function dateWindow() {
    var since = $('filter-since').value; var until = $('filter-until').value;
    return { from: since && since > first ? since : first, to: until && until < last ? until : last };
  }
  function shownIntervals() {
    var w = dateWindow();
    return intervals.filter(function (iv) {
      var e = iv.start || iv.end;
      if (!matchesNames(e)) return false;
      if (eventFilters()) return (iv.start !== null && matches(iv.start)) || (iv.end !== null && matches(iv.end));
      return (iv.from || first) <= w.to && (iv.to || last) >= w.from;
    });
  }

`;

/** The subjects (people or accounts) the timeline can show: those with an interval the filters let through. */
const SCRIPT_SUBJECTS = `  function renderSubjects() {
    var kind = $('timeline-kind').value; var sel = $('timeline-subject'); var was = sel.value;
    while (sel.firstChild) sel.removeChild(sel.firstChild);
    var seen = {};
    shownIntervals().forEach(function (iv) { seen[subjectOf(kind, iv.start || iv.end)] = true; });
    Object.keys(seen).sort().forEach(function (s) { var o = el('option', s); o.value = s; sel.appendChild(o); });
    if (seen[was]) sel.value = was;
    renderTimeline();
  }

`;

/** The timeline of the chosen subject: a lane per access, a bar per interval, cut to the dates filtered on. */
const SCRIPT_TIMELINE = `  function renderTimeline() {
    var kind = $('timeline-kind').value; var subject = $('timeline-subject').value; var box = $('timeline');
    while (box.firstChild) box.removeChild(box.firstChild);
    if (!subject) return;
    var lanes = {}; var order = [];
    var w = dateWindow();
    shownIntervals().forEach(function (iv) {
      var e = iv.start || iv.end;
      if (subjectOf(kind, e) !== subject) return;
      var lane = laneOf(kind, e);
      if (!lanes[lane]) { lanes[lane] = []; order.push(lane); }
      lanes[lane].push(iv);
    });
    var t0 = Date.parse(w.from); var t1 = Math.max(Date.parse(w.to), t0 + 86400000);
    order.sort().forEach(function (lane) {
      var row = el('div', null, 'lane'); row.setAttribute('data-lane', lane);
      row.appendChild(el('div', lane, 'name'));
      var track = el('div', null, 'track');
      lanes[lane].forEach(function (iv) {
        var from = Math.max(Date.parse(iv.from || first), t0); var to = Math.min(iv.to ? Date.parse(iv.to) : t1, t1);
        var a = (from - t0) / (t1 - t0); var b = (to - t0) / (t1 - t0);
        var bar = el('div', null, iv.breakGlass ? 'bar break-glass' : 'bar'); ` +
  `bar.style.left = (a * 100) + '%'; bar.style.width = Math.max(0, (b - a) * 100) + '%';
        bar.title = (iv.from || 'before ' + first) + ' to ' + ` +
  `(iv.to || (last < day(data.generated) ? 'after ' + last : 'now')) + (iv.breakGlass ? ' (break-glass)' : '');
        track.appendChild(bar);
      });
      row.appendChild(track); box.appendChild(row);
    });
    var axis = el('div', null, 'axis'); axis.appendChild(el('span', w.from)); axis.appendChild(el('span', w.to)); box.appendChild(axis);
  }

`;

/** Renders the page, and again on every change of a filter or of the timeline's subject. */
const SCRIPT_START = `  function render() { renderEvents(); renderSubjects(); }

  ['filter-user', 'filter-account', 'filter-ps', 'filter-since', 'filter-until'].forEach(function (id) { $(id).addEventListener('input', render); });
  ['filter-action', 'filter-direct', 'filter-break-glass'].forEach(function (id) { $(id).addEventListener('change', render); });
  $('timeline-kind').addEventListener('change', renderSubjects);
  $('timeline-subject').addEventListener('change', renderTimeline);
  render();
  document.body.setAttribute('data-ready', 'true');
`;

/** The end of the document. */
const PAGE_END = `</body>
</html>
`;
