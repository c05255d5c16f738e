// The overview page: reads the filters from the page's query string, asks
// GET /v1/overview (and GET /v1/code-lists for the drop-downs and headings)
// on this same server, and draws the figures. No external resources, no
// build step. Every text from the API goes into the page as text, never as
// markup.
'use strict';

(function () {
  // ---------------------------------------------------------------- texts

  const T = {
    nl: {
      title: 'AI-register: overzicht biometrische AI',
      intro: 'Waar worden gezichtsherkenning en andere biometrische AI gebruikt, door wie, waarvoor en op welke grondslag? Cijfers uit het register van AI-systemen met een hoog risico (AI-verordening, art. 49 en 71).',
      skip: 'Naar de cijfers',
      filters: 'Filters',
      all: 'Alle',
      region: 'Regio (provincie)',
      municipality: 'Gemeente',
      registered_from: 'Geregistreerd vanaf',
      registered_to: 'Geregistreerd tot en met',
      apply: 'Toon overzicht',
      reset: 'Filters wissen',
      token_summary: 'Toezichthouders: inloggen met een token',
      token_help: 'Zonder token toont deze pagina het openbare deel van het register. Ministeries en markttoezichthouders met een token zien ook de registraties in het niet-openbare deel (art. 49 lid 4). Het token blijft alleen in dit browsertabblad bewaard (sessionStorage) en gaat alleen naar dit register.',
      token_label: 'Bearer-token',
      token_save: 'Token gebruiken',
      token_clear: 'Token vergeten',
      token_on: 'Er is een token ingesteld: de cijfers tellen alles wat dit token mag zien.',
      token_off: 'Geen token: de cijfers tonen het openbare deel.',
      footer: 'Gegevens: registraties van aanbieders en gebruiksverantwoordelijken, ingedeeld door het register volgens de AI-verordening (Verordening (EU) 2024/1689) en de AVG. Dezelfde cijfers zijn beschikbaar als JSON op /v1/overview.',
      loading: 'Cijfers worden geladen…',
      loaded: 'Overzicht bijgewerkt.',
      data_timestamp: 'Stand van de gegevens',
      no_data: 'nog geen registraties',
      csv: 'Download CSV',
      active: 'Gefilterd op',
      no_filters: 'Geen filters: alle registraties die u mag zien.',
      t_systems: 'AI-systemen',
      t_deployments: 'Toepassingen',
      t_providers: 'Aanbieders',
      t_deployers: 'Gebruiks\u00adverantwoorde\u00adlijken',
      s_deployments: 'Toepassingen: waar, door wie, waarvoor',
      s_deployments_note: 'Een toepassing is het gebruik van een AI-systeem door een gebruiksverantwoordelijke. Aandeel: het percentage van alle toepassingen binnen de filters. Een toepassing kan meerdere plaatsen of doelen hebben; de percentages tellen dan op tot meer dan 100%.',
      s_systems: 'AI-systemen',
      s_systems_note: 'Systemen zoals aanbieders ze registreren, met de indeling door het register. Aandeel: het percentage van alle systemen binnen de filters; een systeem kan onder meerdere punten of functies vallen.',
      s_safeguards: 'Waarborgen bij toepassingen',
      s_safeguards_note: 'Aandeel toepassingen waarvoor de gebruiksverantwoordelijke de waarborg heeft gemeld, van de toepassingen waarvoor die geldt.',
      s_findings: 'Bevindingen van de classificatie',
      s_findings_note: 'Signalen die het register bij de indeling geeft, zoals een ontbrekende DPIA of toestemming binnen een arbeidsrelatie. Aandeel: het percentage van de systemen of toepassingen met die bevinding.',
      s_months: 'Registraties per maand',
      s_nonpublic: 'Niet-openbaar deel (art. 49 lid 4)',
      nonpublic_note: 'AI-systemen van bijlage III, punten 1 (biometrie), 6 (rechtshandhaving) en 7 (migratie, asiel en grenstoezicht), die worden gebruikt voor rechtshandhaving, migratie, asiel of grenstoezicht, staan in het beveiligde niet-openbare deel van de databank (art. 49 lid 4 AI-verordening). Het publiek ziet die registraties niet afzonderlijk, alleen als aantal per punt van bijlage III en lidstaat; een registratie telt mee bij elk punt en elke lidstaat waaronder ze valt. Onder de vijf staat er "<5", zodat geen cijfer naar één registratie herleidbaar is. Alleen de filters lidstaat en punt van bijlage III werken op deze cijfers.',
      nonpublic_empty_public: 'Geen registraties in het niet-openbare deel voor deze filters.',
      nonpublic_empty_token: 'Met een token van een toezichthouder zijn registraties in het niet-openbare deel al in de cijfers hierboven meegeteld (voor zover dit token ze mag zien).',
      c_value: 'Waarde',
      c_count: 'Aantal',
      c_share_dep: 'Aandeel',
      c_share_sys: 'Aandeel',
      c_share: 'Aandeel',
      c_bar: 'Verhouding',
      c_month: 'Maand',
      c_member_states: 'Lidstaat: aantal',
      c_safeguard: 'Waarborg',
      c_answers: 'Antwoorden',
      of: 'van',
      top: 'Top {n} van {m}',
      show_all: 'Toon alle {m}',
      show_less: 'Toon minder',
      empty: 'Geen gegevens voor deze filters.',
      unknown: 'Onbekend',
      region_title: 'Regio (provincie)',
      municipality_title: 'Gemeente',
      findings_systems: 'Bevindingen bij systemen',
      findings_deployments: 'Bevindingen bij toepassingen',
      sg_dpia: 'DPIA uitgevoerd',
      sg_prior_consultation: 'Voorafgaande raadpleging van de toezichthouder (AP)',
      sg_fria: 'Grondrechteneffectbeoordeling (FRIA) uitgevoerd',
      sg_alternative_offered_where_consent: 'Alternatief geboden waar toestemming de grondslag is',
      months_caption: 'Nieuwe registraties per maand',
      error_title: 'De cijfers konden niet worden geladen',
      error_network: 'Het register is niet bereikbaar. Probeer het later opnieuw.',
      error_401: 'Het token wordt niet geaccepteerd. Vergeet het token om het openbare deel te zien, of vraag een nieuw token aan.',
      error_codelists: 'De lijsten met waarden voor de filters konden niet worden geladen.',
      csv_failed: 'De CSV kon niet worden gedownload.',
    },
    en: {
      title: 'AI register: overview of biometric AI',
      intro: 'Where are facial recognition and other biometric AI used, by whom, for what and on which legal basis? Figures from the register of high-risk AI systems (AI Act, Art. 49 and 71).',
      skip: 'Skip to the figures',
      filters: 'Filters',
      all: 'All',
      region: 'Region (province)',
      municipality: 'Municipality',
      registered_from: 'Registered from',
      registered_to: 'Registered up to and including',
      apply: 'Show overview',
      reset: 'Clear filters',
      token_summary: 'Authorities: sign in with a token',
      token_help: 'Without a token this page shows the public section of the register. Ministries and market-surveillance authorities with a token also see the registrations in the non-public section (Art. 49(4)). The token is kept only in this browser tab (sessionStorage) and is sent only to this register.',
      token_label: 'Bearer token',
      token_save: 'Use token',
      token_clear: 'Forget token',
      token_on: 'A token is set: the figures count everything this token may see.',
      token_off: 'No token: the figures show the public section.',
      footer: 'Data: registrations by providers and deployers, classified by the register under the AI Act (Regulation (EU) 2024/1689) and the GDPR. The same figures are available as JSON at /v1/overview.',
      loading: 'Loading the figures…',
      loaded: 'Overview updated.',
      data_timestamp: 'Data as of',
      no_data: 'no registrations yet',
      csv: 'Download CSV',
      active: 'Filtered on',
      no_filters: 'No filters: every registration you may see.',
      t_systems: 'AI systems',
      t_deployments: 'Deployments',
      t_providers: 'Providers',
      t_deployers: 'Deployers',
      s_deployments: 'Deployments: where, by whom, for what',
      s_deployments_note: 'A deployment is the use of an AI system by a deployer. Share: the percentage of all deployments within the filters. A deployment can have several places or purposes, so the percentages may add up to more than 100%.',
      s_systems: 'AI systems',
      s_systems_note: 'Systems as their providers register them, with the register\'s classification. Share: the percentage of all systems within the filters; a system can fall under several points or functions.',
      s_safeguards: 'Safeguards of deployments',
      s_safeguards_note: 'Share of deployments whose deployer reports the safeguard, out of the deployments it applies to.',
      s_findings: 'Findings of the classification',
      s_findings_note: 'Signals the register raises when it classifies, such as a missing DPIA or consent inside an employment relationship. Share: the percentage of systems or deployments with that finding.',
      s_months: 'Registrations per month',
      s_nonpublic: 'Non-public section (Art. 49(4))',
      nonpublic_note: 'AI systems of Annex III points 1 (biometrics), 6 (law enforcement) and 7 (migration, asylum and border control) used for law enforcement, migration, asylum or border control sit in the secure non-public section of the database (AI Act Art. 49(4)). The public does not see these registrations one by one, only as a count per Annex III point and Member State; a registration counts under every point and Member State it falls under. Under five shows as "<5", so that no figure points to a single registration. Only the Member State and Annex III point filters narrow these figures.',
      nonpublic_empty_public: 'No registrations in the non-public section for these filters.',
      nonpublic_empty_token: 'With an authority token, registrations in the non-public section are already counted in the figures above (as far as this token may see them).',
      c_value: 'Value',
      c_count: 'Count',
      c_share_dep: 'Share',
      c_share_sys: 'Share',
      c_share: 'Share',
      c_bar: 'Proportion',
      c_month: 'Month',
      c_member_states: 'Member State: count',
      c_safeguard: 'Safeguard',
      c_answers: 'Answers',
      of: 'of',
      top: 'Top {n} of {m}',
      show_all: 'Show all {m}',
      show_less: 'Show fewer',
      empty: 'No data for these filters.',
      unknown: 'Unknown',
      region_title: 'Region (province)',
      municipality_title: 'Municipality',
      findings_systems: 'Findings on systems',
      findings_deployments: 'Findings on deployments',
      sg_dpia: 'DPIA performed',
      sg_prior_consultation: 'Prior consultation of the data protection authority',
      sg_fria: 'Fundamental rights impact assessment (FRIA) performed',
      sg_alternative_offered_where_consent: 'Alternative offered where consent is the legal basis',
      months_caption: 'New registrations per month',
      error_title: 'The figures could not be loaded',
      error_network: 'The register cannot be reached. Please try again later.',
      error_401: 'The token is not accepted. Forget the token to see the public section, or ask for a new one.',
      error_codelists: 'The lists of values for the filters could not be loaded.',
      csv_failed: 'The CSV could not be downloaded.',
    },
  };

  // The page's filters: query parameter -> code list (null: free text or date).
  const FILTERS = {
    member_state: 'member_state',
    modality: 'modality',
    function: 'function',
    space: 'space',
    purpose: 'purpose',
    deployer_type: 'deployer_type',
    legal_basis: 'legal_ground',
    outcome: 'outcome',
    annex_iii: 'annex_iii',
    region: null,
    municipality: null,
    registered_from: null,
    registered_to: null,
  };

  // The breakdowns shown, in order: [key in the JSON, code list for the caption, dictionary key, row limit].
  const DEPLOYMENT_TABLES = [
    ['by_space', 'space'],
    ['by_purpose', 'purpose'],
    ['by_deployer_type', 'deployer_type'],
    ['by_legal_basis', 'legal_ground'],
    ['by_region', null, 'region_title', 15],
    ['by_municipality', null, 'municipality_title', 15],
    ['by_outcome', 'outcome'],
    ['by_timing', 'timing'],
  ];
  const SYSTEM_TABLES = [
    ['by_outcome', 'outcome'],
    ['by_annex_iii', 'annex_iii'],
    ['by_function', 'function'],
    ['by_modality', 'modality'],
    ['by_status', 'status'],
  ];
  const SAFEGUARDS = ['dpia', 'prior_consultation', 'fria', 'alternative_offered_where_consent'];
  const TOKEN_KEY = 'ai-registry.token';

  // ---------------------------------------------------------------- state

  let lang = 'nl';
  let codeLists = null; // name -> {title: {en, nl}, codes: Map(code -> {en, nl})}
  let lastOverview = null;
  let requestSeq = 0;
  const expanded = new Set();

  const byId = (id) => document.getElementById(id);
  const t = (key, vars) => {
    let s = (T[lang] && T[lang][key]) || T.en[key] || key;
    if (vars) {
      for (const k of Object.keys(vars)) s = s.split('{' + k + '}').join(String(vars[k]));
    }
    return s;
  };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  const locale = () => (lang === 'nl' ? 'nl-NL' : 'en-GB');
  const fmtInt = (n) => new Intl.NumberFormat(locale()).format(n);
  const fmtPct = (x) =>
    new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(x);

  function token() {
    try {
      return sessionStorage.getItem(TOKEN_KEY) || '';
    } catch (_) {
      return '';
    }
  }

  function authHeaders() {
    const tok = token();
    return tok ? { Authorization: 'Bearer ' + tok } : {};
  }

  // ---------------------------------------------------------------- URL <-> form

  // The filters of the current page URL, as the API takes them (lang apart).
  function filtersFromUrl() {
    const page = new URLSearchParams(window.location.search);
    const out = new URLSearchParams();
    for (const name of Object.keys(FILTERS)) {
      for (const v of page.getAll(name)) {
        if (v.trim() !== '') out.append(name, v.trim());
      }
    }
    return out;
  }

  function langFromUrl() {
    return new URLSearchParams(window.location.search).get('lang') === 'en' ? 'en' : 'nl';
  }

  function filtersFromForm() {
    const out = new URLSearchParams();
    for (const name of Object.keys(FILTERS)) {
      const field = byId('f-' + name);
      const v = field ? field.value.trim() : '';
      if (v !== '') out.append(name, v);
    }
    return out;
  }

  function pageUrl(filters) {
    const q = new URLSearchParams(filters);
    if (lang !== 'nl') q.set('lang', lang);
    const s = q.toString();
    return window.location.pathname + (s ? '?' + s : '');
  }

  function apiQuery(filters, extra) {
    const q = new URLSearchParams(filters);
    q.set('lang', lang);
    if (extra) for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return q.toString();
  }

  function fillForm(filters) {
    for (const name of Object.keys(FILTERS)) {
      const field = byId('f-' + name);
      if (!field) continue;
      const v = filters.getAll(name).join(',');
      if (field.tagName === 'SELECT' && v !== '' && !Array.from(field.options).some((o) => o.value === v)) {
        // A value from a shared URL the drop-down cannot show (several
        // values, or an unknown one): keep it, so it is applied and visible.
        field.append(el('option', { value: v, 'data-extra': 'yes', text: v }));
      }
      field.value = v;
    }
    byId('f-lang').value = lang;
  }

  // ---------------------------------------------------------------- labels

  function listTitle(list) {
    const l = codeLists && codeLists[list];
    return l ? l.title[lang] : null;
  }

  function codeLabel(list, code) {
    const l = codeLists && codeLists[list];
    const c = l && l.codes.get(code);
    return c ? c[lang] : null;
  }

  function applyTexts() {
    document.documentElement.lang = lang;
    document.title = t('title');
    for (const node of document.querySelectorAll('[data-t]')) node.textContent = t(node.dataset.t);
    for (const node of document.querySelectorAll('label[data-list]')) {
      const title = listTitle(node.dataset.list);
      if (title) node.textContent = title;
    }
    for (const b of document.querySelectorAll('.lang button')) {
      b.setAttribute('aria-pressed', b.dataset.lang === lang ? 'true' : 'false');
    }
    byId('reset').setAttribute('href', lang === 'nl' ? '/' : '/?lang=' + lang);
    fillSelects();
    showTokenState();
  }

  function fillSelects() {
    for (const select of document.querySelectorAll('select[data-list]')) {
      const current = select.value;
      const list = codeLists && codeLists[select.dataset.list];
      const extras = Array.from(select.options).filter((o) => o.dataset.extra);
      select.replaceChildren(el('option', { value: '', text: t('all') }));
      if (list) {
        for (const [code, label] of list.codes) {
          select.append(el('option', { value: code, text: label[lang] }));
        }
      }
      for (const o of extras) {
        if (!Array.from(select.options).some((x) => x.value === o.value)) select.append(o);
      }
      select.value = current;
    }
  }

  // ---------------------------------------------------------------- fetching

  async function problemText(resp) {
    let body = null;
    try {
      const type = resp.headers.get('content-type') || '';
      if (type.includes('json')) body = await resp.json();
    } catch (_) {
      body = null;
    }
    const parts = { title: (body && body.title) || resp.statusText || String(resp.status), detail: null, errors: [] };
    if (body && body.detail) parts.detail = body.detail;
    if (body && Array.isArray(body.errors)) {
      parts.errors = body.errors.map((e) => [e.pointer, e.message].filter(Boolean).join(': '));
    }
    if (resp.status === 401) parts.hint = t('error_401');
    parts.status = resp.status;
    return parts;
  }

  function showError(parts) {
    const box = byId('error');
    if (!parts) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const children = [el('h2', { text: t('error_title') })];
    const head = parts.status ? `${parts.title} (${parts.status})` : parts.title;
    children.push(el('p', { text: head }));
    if (parts.detail) children.push(el('p', { text: parts.detail }));
    if (parts.errors && parts.errors.length) {
      children.push(el('ul', null, ...parts.errors.map((e) => el('li', { text: e }))));
    }
    if (parts.hint) children.push(el('p', { text: parts.hint }));
    box.replaceChildren(...children);
    box.hidden = false;
  }

  async function loadCodeLists() {
    const resp = await fetch('/v1/code-lists', { headers: { Accept: 'application/json' } });
    if (!resp.ok) throw await problemText(resp);
    const body = await resp.json();
    const lists = {};
    for (const l of body.lists || []) {
      lists[l.name] = { title: l.title, codes: new Map(l.codes.map((c) => [c.code, { en: c.en, nl: c.nl }])) };
    }
    codeLists = lists;
  }

  async function loadOverview() {
    const seq = ++requestSeq;
    const filters = filtersFromUrl();
    byId('status').textContent = t('loading');
    byId('status').classList.remove('visually-hidden');
    byId('results').setAttribute('aria-busy', 'true');
    let resp;
    try {
      resp = await fetch('/v1/overview?' + apiQuery(filters), {
        headers: Object.assign({ Accept: 'application/json' }, authHeaders()),
        cache: 'no-store',
      });
    } catch (_) {
      if (seq !== requestSeq) return;
      byId('results').removeAttribute('aria-busy');
      byId('status').textContent = '';
      showError({ title: t('error_network') });
      return;
    }
    if (seq !== requestSeq) return;
    if (!resp.ok) {
      const parts = await problemText(resp);
      if (seq !== requestSeq) return;
      byId('results').removeAttribute('aria-busy');
      byId('status').textContent = '';
      byId('results').replaceChildren();
      lastOverview = null;
      showError(parts);
      return;
    }
    const overview = await resp.json();
    if (seq !== requestSeq) return;
    showError(null);
    lastOverview = { overview, filters };
    render(overview, filters);
    byId('results').removeAttribute('aria-busy');
    byId('status').textContent = t('loaded');
    byId('status').classList.add('visually-hidden');
  }

  // ---------------------------------------------------------------- rendering

  function bar(fraction, alt) {
    const inner = el('span');
    // CSSOM, not a style attribute: allowed by the page's CSP.
    inner.style.width = Math.max(0, Math.min(100, fraction * 100)).toFixed(2) + '%';
    return el('span', { class: alt ? 'bar alt' : 'bar', 'aria-hidden': 'true' }, inner);
  }

  function valueLabel(list, cell) {
    if (cell.label) return cell.label;
    if (list) {
      const l = codeLabel(list, cell.value);
      if (l) return l;
    }
    if (cell.value === 'unknown') return t('unknown');
    return cell.value;
  }

  // One breakdown as a table: label, count, share of `total`, and a bar
  // scaled to the largest row.
  function breakdownTable(id, caption, cells, list, total, shareHead, limit) {
    const all = Array.isArray(cells) ? cells : [];
    const open = expanded.has(id);
    const shown = limit && !open ? all.slice(0, limit) : all;
    const max = all.reduce((m, c) => Math.max(m, Number(c.count) || 0), 0);
    const cap = el('caption', null, caption);
    if (limit && all.length > limit && !open) {
      cap.append(el('span', { class: 'note', text: t('top', { n: limit, m: fmtInt(all.length) }) }));
    }
    const table = el(
      'table',
      { id },
      cap,
      el(
        'thead',
        null,
        el(
          'tr',
          null,
          el('th', { scope: 'col', text: t('c_value') }),
          el('th', { scope: 'col', class: 'num', text: t('c_count') }),
          el('th', { scope: 'col', class: 'num', text: shareHead }),
          el('th', { scope: 'col', class: 'barhead' }, el('span', { text: t('c_bar') })),
        ),
      ),
    );
    const tbody = el('tbody');
    if (all.length === 0) {
      tbody.append(el('tr', null, el('td', { colspan: 4, class: 'empty', text: t('empty') })));
    }
    for (const c of shown) {
      const n = Number(c.count) || 0;
      const label = valueLabel(list, c);
      const head = el('th', { scope: 'row' }, label);
      tbody.append(
        el(
          'tr',
          null,
          head,
          el('td', { class: 'num', text: fmtInt(n) }),
          el('td', { class: 'num', text: total > 0 ? fmtPct(n / total) : '–' }),
          el('td', { class: 'barcell' }, bar(max > 0 ? n / max : 0)),
        ),
      );
    }
    table.append(tbody);
    const wrap = el('div', { class: 'table-wrap' }, table);
    const box = el('div', null, wrap);
    if (limit && all.length > limit) {
      const btn = el('button', {
        type: 'button',
        class: 'more',
        'aria-controls': id,
        'aria-expanded': open ? 'true' : 'false',
        text: open ? t('show_less') : t('show_all', { m: fmtInt(all.length) }),
      });
      btn.addEventListener('click', () => {
        if (expanded.has(id)) expanded.delete(id);
        else expanded.add(id);
        box.replaceWith(breakdownTable(id, caption, cells, list, total, shareHead, limit));
        const again = byId(id);
        const button = again && again.parentElement.parentElement.querySelector('button.more');
        if (button) button.focus();
      });
      box.append(btn);
    }
    return box;
  }

  function section(id, title, note, ...content) {
    return el(
      'section',
      { class: 'section', 'aria-labelledby': id },
      el('h2', { id, text: title }),
      note ? el('p', { class: 'muted', text: note }) : null,
      ...content,
    );
  }

  function totalsBlock(totals) {
    const item = (key, label) =>
      el('div', null, el('dt', { text: label }), el('dd', { text: fmtInt(Number(totals[key]) || 0) }));
    return el(
      'dl',
      { class: 'totals' },
      item('systems', t('t_systems')),
      item('deployments', t('t_deployments')),
      item('providers', t('t_providers')),
      item('deployers', t('t_deployers')),
    );
  }

  function timestampText(ts) {
    if (!ts) return el('span', { text: t('no_data') });
    const d = new Date(ts);
    if (Number.isNaN(d.getTime())) return el('span', { text: ts });
    const text = new Intl.DateTimeFormat(locale(), {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'Europe/Amsterdam',
    }).format(d);
    return el('time', { datetime: ts, title: ts, text });
  }

  function csvLink(filters) {
    const href = '/v1/overview?' + apiQuery(filters, { format: 'csv' });
    const a = el('a', { class: 'csv', href, download: 'overview.csv', text: t('csv') });
    a.addEventListener('click', async (ev) => {
      if (!token()) return; // the plain link: the public section
      ev.preventDefault();
      try {
        const resp = await fetch(href, { headers: authHeaders(), cache: 'no-store' });
        if (!resp.ok) {
          showError(await problemText(resp));
          return;
        }
        const blob = await resp.blob();
        const url = URL.createObjectURL(blob);
        const tmp = el('a', { href: url, download: 'overview.csv' });
        document.body.append(tmp);
        tmp.click();
        tmp.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      } catch (_) {
        showError({ title: t('csv_failed') });
      }
    });
    return a;
  }

  function activeFilters(filters) {
    const items = [];
    for (const name of Object.keys(FILTERS)) {
      const values = filters.getAll(name);
      if (!values.length) continue;
      const list = FILTERS[name];
      const head = (list && listTitle(list)) || t(name);
      const shown = values
        .flatMap((v) => (list ? v.split(',') : [v]))
        .map((v) => (list && codeLabel(list, v)) || v)
        .join(', ');
      items.push(`${head}: ${shown}`);
    }
    return el('p', { class: 'active-filters muted' }, items.length ? `${t('active')}: ${items.join(' · ')}` : t('no_filters'));
  }

  function safeguardsTable(sg) {
    const table = el(
      'table',
      { id: 'tbl-safeguards' },
      el('caption', { class: 'visually-hidden', text: t('s_safeguards') }),
      el(
        'thead',
        null,
        el(
          'tr',
          null,
          el('th', { scope: 'col', text: t('c_safeguard') }),
          el('th', { scope: 'col', class: 'num', text: t('c_share') }),
          el('th', { scope: 'col', class: 'barhead' }, el('span', { text: t('c_bar') })),
          el('th', { scope: 'col', class: 'sg-answers', text: t('c_answers') }),
        ),
      ),
    );
    const tbody = el('tbody');
    for (const key of SAFEGUARDS) {
      const s = (sg && sg[key]) || { yes: 0, of: 0, share: null, counts: [] };
      const share = typeof s.share === 'number' ? s.share : null;
      const answers = (s.counts || [])
        .map((c) => `${valueLabel('answer', c)} ${fmtInt(Number(c.count) || 0)}`)
        .join(' · ');
      tbody.append(
        el(
          'tr',
          null,
          el('th', { scope: 'row', text: t('sg_' + key) }),
          el(
            'td',
            { class: 'num' },
            share === null ? '–' : fmtPct(share),
            el('br'),
            el('span', { class: 'code', text: `${fmtInt(s.yes || 0)} ${t('of')} ${fmtInt(s.of || 0)}` }),
          ),
          el('td', { class: 'barcell' }, bar(share || 0)),
          el('td', { class: 'sg-answers', text: answers || '–' }),
        ),
      );
    }
    table.append(tbody);
    return el('div', { class: 'table-wrap' }, table);
  }

  function monthsTable(months) {
    const rows = Array.isArray(months) ? months : [];
    const maxS = rows.reduce((m, r) => Math.max(m, Number(r.systems) || 0), 0);
    const maxD = rows.reduce((m, r) => Math.max(m, Number(r.deployments) || 0), 0);
    const fmtMonth = (m) => {
      const [y, mo] = String(m).split('-').map(Number);
      if (!y || !mo) return String(m);
      return new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(Date.UTC(y, mo - 1, 1)),
      );
    };
    const table = el(
      'table',
      { id: 'tbl-months', class: 'months' },
      el('caption', { class: 'visually-hidden', text: t('months_caption') }),
      el(
        'thead',
        null,
        el(
          'tr',
          null,
          el('th', { scope: 'col', text: t('c_month') }),
          el('th', { scope: 'col', class: 'num', text: t('t_systems') }),
          el('th', { scope: 'col', class: 'barhead' }, el('span', { text: t('c_bar') })),
          el('th', { scope: 'col', class: 'num', text: t('t_deployments') }),
          el('th', { scope: 'col', class: 'barhead' }, el('span', { text: t('c_bar') })),
        ),
      ),
    );
    const tbody = el('tbody');
    if (!rows.length) tbody.append(el('tr', null, el('td', { colspan: 5, class: 'empty', text: t('empty') })));
    for (const r of rows) {
      const s = Number(r.systems) || 0;
      const d = Number(r.deployments) || 0;
      tbody.append(
        el(
          'tr',
          null,
          el('th', { scope: 'row' }, el('time', { datetime: r.month, text: fmtMonth(r.month) })),
          el('td', { class: 'num', text: fmtInt(s) }),
          el('td', { class: 'barcell' }, bar(maxS ? s / maxS : 0, true)),
          el('td', { class: 'num', text: fmtInt(d) }),
          el('td', { class: 'barcell' }, bar(maxD ? d / maxD : 0)),
        ),
      );
    }
    table.append(tbody);
    return el('div', { class: 'table-wrap' }, table);
  }

  function nonPublicBlock(cells) {
    const rows = Array.isArray(cells) ? cells : [];
    if (!rows.length) {
      return el('p', { class: 'empty', text: token() ? t('nonpublic_empty_token') : t('nonpublic_empty_public') });
    }
    // One row per Annex III point, the Member States with their figure in it.
    const byPoint = new Map();
    for (const c of rows) {
      if (!byPoint.has(c.annex_iii)) byPoint.set(c.annex_iii, { label: c.label, items: [] });
      byPoint.get(c.annex_iii).items.push(c);
    }
    const table = el(
      'table',
      { id: 'tbl-nonpublic' },
      el('caption', { class: 'visually-hidden', text: t('s_nonpublic') }),
      el(
        'thead',
        null,
        el(
          'tr',
          null,
          el('th', { scope: 'col', text: listTitle('annex_iii') || 'Annex III' }),
          el('th', { scope: 'col', text: t('c_member_states') }),
        ),
      ),
    );
    const tbody = el('tbody');
    for (const [point, { label, items }] of byPoint) {
      const list = el('ul', { class: 'chips' });
      for (const c of items) {
        const name = codeLabel('member_state', c.member_state) || c.member_state;
        const count = typeof c.count === 'number' ? fmtInt(c.count) : String(c.count);
        list.append(el('li', null, el('abbr', { title: name, text: c.member_state }), ` ${count}`));
      }
      tbody.append(
        el('tr', null, el('th', { scope: 'row', text: label || codeLabel('annex_iii', point) || point }), el('td', null, list)),
      );
    }
    table.append(tbody);
    return el('div', { class: 'table-wrap' }, table);
  }

  function render(o, filters) {
    const totals = o.totals || {};
    const nDep = Number(totals.deployments) || 0;
    const nSys = Number(totals.systems) || 0;
    const dep = o.deployments || {};
    const sys = o.systems || {};
    const findings = o.findings || {};
    const results = byId('results');
    const tableOf = (prefix, group, total, head) => ([key, list, titleKey, limit]) =>
      breakdownTable(
        prefix + key,
        (list && listTitle(list)) || t(titleKey || key),
        group[key],
        list,
        total,
        head,
        limit,
      );
    results.replaceChildren(
      el(
        'div',
        { class: 'summary' },
        el('p', null, el('strong', { text: t('data_timestamp') + ': ' }), timestampText(o.data_timestamp)),
        csvLink(filters),
      ),
      activeFilters(filters),
      totalsBlock(totals),
      section(
        'h-deployments',
        t('s_deployments'),
        t('s_deployments_note'),
        el('div', { class: 'grid' }, ...DEPLOYMENT_TABLES.map(tableOf('tbl-dep-', dep, nDep, t('c_share_dep')))),
      ),
      section('h-safeguards', t('s_safeguards'), t('s_safeguards_note'), safeguardsTable(o.safeguards)),
      section(
        'h-systems',
        t('s_systems'),
        t('s_systems_note'),
        el('div', { class: 'grid' }, ...SYSTEM_TABLES.map(tableOf('tbl-sys-', sys, nSys, t('c_share_sys')))),
      ),
      section(
        'h-findings',
        t('s_findings'),
        t('s_findings_note'),
        el(
          'div',
          { class: 'grid' },
          breakdownTable('tbl-find-sys', t('findings_systems'), findings.systems, 'finding', nSys, t('c_share_sys')),
          breakdownTable(
            'tbl-find-dep',
            t('findings_deployments'),
            findings.deployments,
            'finding',
            nDep,
            t('c_share_dep'),
          ),
        ),
      ),
      section(
        'h-months',
        t('s_months'),
        null,
        el(
          'p',
          { class: 'legend', 'aria-hidden': 'true' },
          el('span', { class: 'alt', text: t('t_systems') }),
          el('span', { text: t('t_deployments') }),
        ),
        monthsTable(o.registrations_per_month),
      ),
      section('h-nonpublic', t('s_nonpublic'), t('nonpublic_note'), nonPublicBlock(o.non_public)),
    );
  }

  // ---------------------------------------------------------------- token

  function showTokenState() {
    byId('token-state').textContent = token() ? t('token_on') : t('token_off');
  }

  function saveToken() {
    const input = byId('f-token');
    const v = input.value.trim();
    try {
      if (v) sessionStorage.setItem(TOKEN_KEY, v);
    } catch (_) {
      /* storage refused: nothing kept */
    }
    input.value = '';
    showTokenState();
    loadOverview();
  }

  function clearToken() {
    try {
      sessionStorage.removeItem(TOKEN_KEY);
    } catch (_) {
      /* nothing kept */
    }
    byId('f-token').value = '';
    showTokenState();
    loadOverview();
  }

  // ---------------------------------------------------------------- wiring

  function onSubmit(ev) {
    ev.preventDefault();
    const filters = filtersFromForm();
    const url = pageUrl(filters);
    if (url !== window.location.pathname + window.location.search) {
      window.history.pushState(null, '', url);
    }
    loadOverview();
  }

  function setLang(next) {
    if (next === lang) return;
    lang = next;
    window.history.replaceState(null, '', pageUrl(filtersFromUrl()));
    applyTexts();
    if (lastOverview) render(lastOverview.overview, lastOverview.filters);
    loadOverview();
  }

  async function start() {
    lang = langFromUrl();
    applyTexts();
    fillForm(filtersFromUrl());
    byId('filters').addEventListener('submit', onSubmit);
    for (const b of document.querySelectorAll('.lang button')) {
      b.addEventListener('click', () => setLang(b.dataset.lang));
    }
    byId('token-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      saveToken();
    });
    byId('token-clear').addEventListener('click', clearToken);
    if (token()) byId('token-box').open = true;
    window.addEventListener('popstate', () => {
      lang = langFromUrl();
      applyTexts();
      fillForm(filtersFromUrl());
      loadOverview();
    });
    const overview = loadOverview();
    try {
      await loadCodeLists();
      applyTexts();
      fillForm(filtersFromUrl());
      if (lastOverview) render(lastOverview.overview, lastOverview.filters);
    } catch (parts) {
      showError(parts && parts.title ? parts : { title: t('error_codelists') });
    }
    await overview;
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
