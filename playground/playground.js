/* SPDX-License-Identifier: MIT */
/* The playground's page: ipxe-lint (ipxe-lint.js + .wasm, built from
 * playground/wasm_main.c) over the script in the editor.
 *
 * window.ipxeLint(text, {platform, template, filename}) returns the
 * object that `ipxe-lint -f json` prints for the same script; text may
 * also be a Uint8Array of the script's bytes.  platform is "any" (the
 * default), "efi" or "pcbios"; template is --template; filename (default
 * "script.ipxe") is the file's name, which the findings carry and which,
 * as on the command line, can make it a template (*.j2, *.erb, ...).
 * window.ipxeLintFix(text, options) returns {fixes, fixed, diff}: the
 * script with the fixes applied, as `ipxe-lint -f diff` shows them.
 * window.ipxeLintReady resolves once the WebAssembly is loaded. */
'use strict';

(function () {
    let mod = null;

    /* Copy @p input (a string or bytes) into the module's memory, NUL
     * after it: {ptr, len}, to free with mod._free(ptr). */
    function toWasm(input) {
        let len, ptr;
        if (input instanceof Uint8Array) {
            len = input.length;
            ptr = mod._malloc(len + 1);
            mod.HEAPU8.set(input, ptr);
            mod.HEAPU8[ptr + len] = 0;
        } else {
            const s = String(input);
            len = mod.lengthBytesUTF8(s);
            ptr = mod._malloc(len + 1);
            mod.stringToUTF8(s, ptr, len + 1);
        }
        if (!ptr)
            throw new Error('ipxeLint: out of memory');
        return {ptr, len};
    }

    function call(fn, input, options) {
        if (!mod)
            throw new Error('ipxeLint: the linter is still loading ' +
                            '(await ipxeLintReady first)');
        const opts = options || {};
        const platform = opts.platform === undefined ? 'any'
                                                     : String(opts.platform);
        const text = toWasm(input);
        const plat = toWasm(platform);
        const name = toWasm(opts.filename === undefined ? ''
                                                        : String(opts.filename));
        try {
            const out = fn(text.ptr, text.len, name.ptr, plat.ptr,
                           opts.template ? 1 : 0);
            if (!out)
                throw new Error('ipxeLint: ' +
                                mod.UTF8ToString(mod._pg_error()));
            return JSON.parse(mod.UTF8ToString(out));
        } finally {
            mod._free(name.ptr);
            mod._free(plat.ptr);
            mod._free(text.ptr);
        }
    }

    window.ipxeLint = (text, options) => call(mod && mod._pg_lint, text,
                                              options);
    window.ipxeLintFix = (text, options) => call(mod && mod._pg_fix, text,
                                                 options);
    window.ipxeLintReady = ipxeLintModule().then((m) => { mod = m; });

    /* ---- the page ---- */

    const $ = (id) => document.getElementById(id);
    const ta = $('script'), gutter = $('gutter'), marks = $('marks');
    const list = $('findings'), summary = $('summary');
    const platformSel = $('platform'), templateBox = $('template');
    const fixPane = $('fix-pane'), diffBox = $('diff');
    const SEVERITIES = ['error', 'warning', 'info', 'style'];
    const utf8 = new TextEncoder();

    /* What the last run did, for the tests and bench/playground. */
    const stats = window.ipxePlayground = {
        runs: 0, pending: false, fixPending: false, lintMs: 0, renderMs: 0, sinceInputMs: null,
        doneAt: 0, paintAt: 0,
        findings: [], fix: null,
    };
    let lineHeight = 0, gutterLines = 0, markedLines = new Map();
    let timer = null, lastCost = 0, inputAt = null, lastSummary = '';

    function options() {
        return {platform: platformSel.value, template: templateBox.checked};
    }

    /* The index in @p line (a string) of byte column @p col (1-based). */
    function columnIndex(line, col) {
        let bytes = 0, i = 0;
        while (i < line.length && bytes < col - 1) {
            const c = line.codePointAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            i += c >= 0x10000 ? 2 : 1;
        }
        return i;
    }

    function offsetOf(lines, line, col) {
        let at = 0;
        for (let i = 0; i < line - 1 && i < lines.length; i++)
            at += lines[i].length + 1;
        return at + columnIndex(lines[line - 1] || '', col);
    }

    function setGutter(n) {
        if (n === gutterLines)
            return;
        if (n > gutterLines) {
            const frag = document.createDocumentFragment();
            for (let i = gutterLines + 1; i <= n; i++) {
                const d = document.createElement('div');
                d.textContent = i;
                frag.appendChild(d);
            }
            gutter.appendChild(frag);
        } else {
            while (gutter.childNodes.length > n)
                gutter.removeChild(gutter.lastChild);
        }
        gutterLines = n;
    }

    function goTo(f) {
        const lines = ta.value.split('\n');
        const a = offsetOf(lines, f.line, f.column);
        const b = offsetOf(lines, f.endLine, f.endColumn);
        ta.focus();
        ta.setSelectionRange(a, Math.max(a, b));
        ta.scrollTop = Math.max(0, (f.line - 1) * lineHeight -
                                   ta.clientHeight / 3);
        syncScroll();
    }

    function findingItem(f) {
        const li = document.createElement('li');
        li.className = 'finding sev-' + f.severity;
        const go = document.createElement('button');
        go.type = 'button';
        go.className = 'goto';
        go.textContent = f.line + ':' + f.column;
        go.setAttribute('aria-label', 'Go to line ' + f.line + ', column ' +
                        f.column);
        go.addEventListener('click', () => goTo(f));
        const sev = document.createElement('span');
        sev.className = 'sev';
        sev.textContent = f.severity;
        const code = document.createElement('a');
        code.className = 'code';
        code.href = 'rules/' + f.code + '.html';
        code.target = '_blank';
        code.rel = 'noopener';
        code.textContent = f.code;
        code.title = f.name + ': what it finds, why it breaks a boot, ' +
                     'how to fix it';
        const msg = document.createElement('span');
        msg.className = 'msg';
        msg.textContent = f.message;
        li.append(go, ' ', sev, ' ', code, ' ', msg);
        if (f.hint) {
            const hint = document.createElement('p');
            hint.className = 'hint';
            hint.textContent = f.hint;
            li.appendChild(hint);
        }
        return li;
    }

    function countText(findings) {
        if (!findings.length)
            return 'No findings.';
        const n = {};
        findings.forEach((f) => { n[f.severity] = (n[f.severity] || 0) + 1; });
        const parts = SEVERITIES.filter((s) => n[s]).map(
            (s) => n[s] + ' ' + s + (n[s] === 1 ? '' : 's'));
        const first = findings[0];
        return parts.join(', ') + '. First: line ' + first.line + ', ' +
               first.code + ', ' + first.message;
    }

    /* The list and the bands are rebuilt from the nodes of the last run
     * where they are unchanged: a keystroke changes few findings. */
    let itemCache = new Map(), bandCache = new Map();

    /* Whether @p parent's children are @p nodes already: then the DOM is
     * left alone, and the browser has nothing to lay out again. */
    function sameNodes(parent, nodes) {
        const kids = parent.children;
        if (kids.length !== nodes.length)
            return false;
        for (let i = 0; i < nodes.length; i++) {
            if (kids[i] !== nodes[i])
                return false;
        }
        return true;
    }

    function render(findings, text) {
        const nlines = text.split('\n').length;
        setGutter(nlines);
        /* marks: the worst severity of each line */
        const want = new Map();
        findings.forEach((f) => {
            const had = want.get(f.line);
            if (!had || SEVERITIES.indexOf(f.severity) <
                            SEVERITIES.indexOf(had.sev))
                want.set(f.line, {sev: f.severity, msgs: had ? had.msgs : []});
            want.get(f.line).msgs.push(f.code + ' ' + f.message);
        });
        markedLines.forEach((_, line) => {
            if (!want.has(line) && gutter.childNodes[line - 1]) {
                gutter.childNodes[line - 1].className = '';
                gutter.childNodes[line - 1].removeAttribute('title');
            }
        });
        const bands = [], newBands = new Map();
        want.forEach((m, line) => {
            const g = gutter.childNodes[line - 1];
            const title = m.msgs.join('\n');
            if (g) {
                g.className = 'mark sev-' + m.sev;
                if (g.title !== title)
                    g.title = title;
            }
            const key = line + ':' + m.sev;
            let band = bandCache.get(key);
            if (!band) {
                band = document.createElement('div');
                band.className = 'band sev-' + m.sev;
                band.dataset.line = line;
                band.style.top = ((line - 1) * lineHeight) + 'px';
            }
            newBands.set(key, band);
            bands.push(band);
        });
        if (!sameNodes(marks, bands))
            marks.replaceChildren(...bands);
        bandCache = newBands;
        markedLines = want;
        const items = [], newItems = new Map();
        findings.forEach((f) => {
            const key = JSON.stringify(f);
            const li = itemCache.get(key) || findingItem(f);
            newItems.set(key, li);
            items.push(li);
        });
        if (!sameNodes(list, items))
            list.replaceChildren(...items);
        itemCache = newItems;
        const said = countText(findings);
        if (said !== lastSummary) {
            summary.textContent = said;
            lastSummary = said;
        }
        /* the fixes (another run of the linter) once the findings are on
         * the screen: after the next frame */
        stats.fixPending = true;
        const run = stats.runs;
        requestAnimationFrame(() => setTimeout(() => {
            if (stats.runs === run + 1 && !stats.pending)
                showFixes(findings, text);
        }, 0));
    }

    function showFixes(findings, text) {
        let fix = null;
        if (findings.some((f) => f.fix)) {
            fix = window.ipxeLintFix(text, options());
            fixPane.hidden = fix.fixes === 0;
            $('fix-summary').textContent = fix.fixes + ' fix' +
                (fix.fixes === 1 ? '' : 'es') + ' the linter can make:';
            const lines = document.createDocumentFragment();
            fix.diff.replace(/\n$/, '').split('\n').forEach((l) => {
                const s = document.createElement('span');
                s.className = /^(---|\+\+\+) /.test(l) ? 'meta'
                            : l.startsWith('+') ? 'add'
                            : l.startsWith('-') ? 'del'
                            : l.startsWith('@') ? 'hunk' : '';
                s.textContent = l + '\n';
                lines.appendChild(s);
            });
            diffBox.replaceChildren(lines);
        } else {
            fixPane.hidden = true;
        }
        stats.fix = fix;
        stats.fixPending = false;
    }

    function lintNow() {
        timer = null;
        stats.pending = false;
        const text = ta.value;
        const t0 = performance.now();
        let result;
        try {
            result = window.ipxeLint(text, options());
        } catch (e) {
            summary.textContent = String(e.message || e);
            lastSummary = summary.textContent;
            return;
        }
        const t1 = performance.now();
        render(result.findings, text);
        const t2 = performance.now();
        lastCost = t2 - t0;
        stats.runs++;
        stats.lintMs = t1 - t0;
        stats.renderMs = t2 - t1;
        stats.sinceInputMs = inputAt === null ? null : t2 - inputAt;
        stats.startAt = t0;
        stats.inputAt = inputAt;
        stats.findings = result.findings;
        stats.doneAt = t2;
        inputAt = null;
        const run = stats.runs;
        requestAnimationFrame(() => {
            if (stats.runs === run)
                stats.paintAt = performance.now();
        });
        document.body.dataset.runs = stats.runs;
    }

    /* Debounced by cost: while a run (lint and listing) takes under
     * 25 ms it runs in the input event itself, so the findings are in the
     * very next frame; a costlier one waits until the keystrokes pause for
     * twice as long as the last run took (300 ms at most), so that typing
     * in a huge script never waits on the linter. */
    function schedule(ev) {
        if (inputAt === null)
            inputAt = ev && ev.timeStamp ? ev.timeStamp : performance.now();
        if (timer !== null)
            clearTimeout(timer);
        if (lastCost < 25) {
            lintNow(); /* cheap: in this event, before the next frame */
            return;
        }
        stats.pending = true;
        timer = setTimeout(lintNow, Math.min(300, 2 * lastCost));
    }

    function syncScroll() {
        gutter.scrollTop = ta.scrollTop;
        marks.style.transform = 'translateY(' + (-ta.scrollTop) + 'px)';
    }

    /* ---- share links: the script in the fragment ---- */

    function b64url(bytes) {
        let s = '';
        for (let i = 0; i < bytes.length; i += 0x8000)
            s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
        return btoa(s).replace(/\+/g, '-').replace(/\//g, '_')
                      .replace(/=+$/, '');
    }

    function unb64url(s) {
        const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++)
            bytes[i] = bin.charCodeAt(i);
        return new TextDecoder().decode(bytes);
    }

    function shareLink() {
        const p = new URLSearchParams();
        p.set('script', b64url(utf8.encode(ta.value)));
        if (platformSel.value !== 'any')
            p.set('platform', platformSel.value);
        if (templateBox.checked)
            p.set('template', '1');
        return location.href.replace(/#.*$/, '') + '#' + p.toString();
    }

    function loadFragment() {
        const p = new URLSearchParams(location.hash.replace(/^#/, ''));
        if (!p.has('script'))
            return false;
        try {
            ta.value = unb64url(p.get('script'));
        } catch (e) {
            summary.textContent = 'This link does not hold a script that ' +
                                  'can be read (it may have been cut).';
            lastSummary = summary.textContent;
            return false;
        }
        const plat = p.get('platform') || 'any';
        platformSel.value = ['any', 'efi', 'pcbios'].includes(plat) ? plat
                                                                   : 'any';
        templateBox.checked = p.get('template') === '1';
        return true;
    }

    $('share').addEventListener('click', () => {
        const url = shareLink();
        history.replaceState(null, '', url);
        const box = $('share-box'), field = $('share-url');
        box.hidden = false;
        field.value = url;
        field.focus();
        field.select();
        const status = $('share-status');
        if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(url).then(
                () => { status.textContent = 'Copied.'; },
                () => { status.textContent = 'Selected: copy it with Ctrl+C.'; });
        } else {
            status.textContent = 'Selected: copy it with Ctrl+C.';
        }
    });

    $('apply').addEventListener('click', () => {
        const fix = window.ipxeLintFix(ta.value, options());
        if (!fix.fixes)
            return;
        ta.focus();
        ta.select();
        /* insertText keeps the change on the editor's undo stack */
        if (!document.execCommand || !document.execCommand('insertText', false,
                                                           fix.fixed))
            ta.value = fix.fixed;
        /* linted here, not by the input event insertText fired */
        if (timer !== null)
            clearTimeout(timer);
        inputAt = null;
        ta.setSelectionRange(0, 0);
        lintNow();
        summary.textContent = 'Applied ' + fix.fixes + ' fix' +
            (fix.fixes === 1 ? '' : 'es') + '. ' + countText(stats.findings);
        lastSummary = summary.textContent;
    });

    /* ---- colours ---- */

    const themeSel = $('theme');
    function setTheme(t) {
        if (t === 'light' || t === 'dark')
            document.documentElement.dataset.theme = t;
        else
            delete document.documentElement.dataset.theme;
    }
    try {
        themeSel.value = localStorage.getItem('ipxe-lint-theme') || 'auto';
    } catch (e) { /* storage may be off: the system's colours */ }
    setTheme(themeSel.value);
    themeSel.addEventListener('change', () => {
        setTheme(themeSel.value);
        try {
            localStorage.setItem('ipxe-lint-theme', themeSel.value);
        } catch (e) { /* not kept: fine */ }
    });

    ta.addEventListener('input', schedule);
    ta.addEventListener('scroll', syncScroll);
    platformSel.addEventListener('change', () => schedule());
    templateBox.addEventListener('change', () => schedule());
    window.addEventListener('hashchange', () => {
        if (loadFragment())
            schedule();
    });

    window.ipxeLintReady.then(() => {
        lineHeight = parseFloat(getComputedStyle(ta).lineHeight);
        loadFragment();
        lintNow();
        document.body.dataset.ready = '1';
    }, (e) => {
        summary.textContent = 'The linter could not be loaded: ' + e +
                              ' (the page must be served over http(s), ' +
                              'with ipxe-lint.wasm beside it).';
    });
})();
