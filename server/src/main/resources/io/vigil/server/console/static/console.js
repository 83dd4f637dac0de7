// Vigil console: signs in with keycloak-js (authorisation code + PKCE) unless the page runs as the loopback
// demo, sends the bearer token with every htmx request and refreshes it before it expires.
(function () {
  'use strict';
  var keycloak = null;

  function flash(text) {
    var el = document.getElementById('flash');
    el.textContent = text;
    el.hidden = !text;
  }

  function noRole() {
    fetch('/console/assets/no-role.html').then(function (r) { return r.text(); }).then(function (html) {
      var content = document.getElementById('content');
      content.innerHTML = html;
      var who = content.querySelector('[data-signed-in-as]');
      if (who && keycloak && keycloak.tokenParsed) who.textContent = keycloak.tokenParsed.preferred_username || keycloak.subject;
    });
  }

  function ready() {
    document.body.dispatchEvent(new CustomEvent('vigil-ready'));
  }

  document.addEventListener('htmx:configRequest', function (e) {
    if (keycloak && keycloak.token) e.detail.headers['Authorization'] = 'Bearer ' + keycloak.token;
  });
  document.addEventListener('htmx:beforeRequest', function () { flash(''); });
  document.addEventListener('htmx:responseError', function (e) {
    var xhr = e.detail.xhr, message = 'The server answered ' + xhr.status + '.';
    try { message = JSON.parse(xhr.responseText).message || message; } catch (ignored) { /* not JSON */ }
    if (xhr.status === 401 && keycloak) { keycloak.login(); return; }
    if (xhr.status === 403 && e.detail.requestConfig && e.detail.requestConfig.verb === 'get') {
      // reading needs a role: someone signed in without one gets one clear page saying which roles exist
      noRole();
      return;
    }
    flash(message);
  });
  // downloads (the audit log's CSV) carry the token too: fetched, then saved from a blob
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-download]');
    if (!a) return;
    e.preventDefault();
    var headers = keycloak && keycloak.token ? { 'Authorization': 'Bearer ' + keycloak.token } : {};
    fetch(a.getAttribute('href'), { headers: headers }).then(function (r) {
      if (!r.ok) throw new Error('The server answered ' + r.status + '.');
      return r.blob();
    }).then(function (blob) {
      var url = URL.createObjectURL(blob), save = document.createElement('a');
      save.href = url;
      save.download = a.dataset.download;
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    }).catch(function (err) { flash(err.message); });
  });
  // the Reports page's charts: each [data-chart] element carries its data; ECharts (from the webjar) draws it as SVG
  var COLOURS = { critical: '#8b0000', high: '#d0451b', medium: '#c9a000', low: '#4a6fa5', validated: '#2e7d32',
    failing: '#d0451b', 'accepted-risk': '#c9a000', 'not-validated': '#8a8f98', incidents: '#6a3d9a' };
  function drawCharts(root) {
    if (!window.echarts) return;
    (root || document).querySelectorAll('[data-chart]').forEach(function (el) {
      if (echarts.getInstanceByDom(el)) return;
      var data = JSON.parse(el.dataset.chart);
      var names = Object.keys(data.series);
      var chart = echarts.init(el, null, { renderer: 'svg' });
      chart.setOption({
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { data: names, bottom: 0 },
        grid: { left: 40, right: 16, top: 16, bottom: 56 },
        xAxis: { type: 'category', data: data.x },
        yAxis: { type: 'value', minInterval: 1 },
        series: names.map(function (n) {
          return { name: n, type: data.kind, stack: data.stacked ? 'total' : undefined, data: data.series[n],
            areaStyle: data.kind === 'line' && data.stacked ? {} : undefined, color: COLOURS[n] };
        })
      });
    });
  }
  document.addEventListener('htmx:beforeSwap', function (e) {
    if (!window.echarts || !e.detail.target) return;
    e.detail.target.querySelectorAll('[data-chart]').forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) chart.dispose();
    });
  });
  document.addEventListener('htmx:afterSettle', function (e) { drawCharts(e.detail.target); });
  window.addEventListener('resize', function () {
    if (!window.echarts) return;
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });
  document.addEventListener('htmx:sendError', function () { flash('The Vigil server could not be reached.'); });
  // keep the navigation's current page in step with what is shown
  document.addEventListener('htmx:pushedIntoHistory', function (e) {
    var section = (e.detail.path || '').replace(/^\/console\//, '').split(/[/?]/)[0];
    document.querySelectorAll('nav a').forEach(function (a) {
      if (a.dataset.section === section) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
  });

  document.addEventListener('DOMContentLoaded', function () {
    var body = document.body;
    if (body.dataset.anonymous === 'true') { setTimeout(ready, 0); return; }
    keycloak = new Keycloak({ url: body.dataset.keycloakUrl, realm: body.dataset.realm, clientId: body.dataset.clientId });
    keycloak.onTokenExpired = function () { keycloak.updateToken(30).catch(function () { keycloak.login(); }); };
    keycloak.init({ onLoad: 'login-required', pkceMethod: 'S256', checkLoginIframe: false })
      .then(function (authenticated) {
        if (!authenticated) { keycloak.login(); return; }
        document.getElementById('user').textContent = keycloak.tokenParsed.preferred_username || keycloak.subject;
        var out = document.getElementById('sign-out');
        out.hidden = false;
        out.addEventListener('click', function () { keycloak.logout({ redirectUri: window.location.origin + '/console/' }); });
        // refresh well before expiry, so a request never leaves with a stale token
        setInterval(function () { keycloak.updateToken(60).catch(function () { keycloak.login(); }); }, 20000);
        ready();
      })
      .catch(function () { flash('Signing in through Keycloak failed; check server.auth and the console client.'); });
  });
})();
