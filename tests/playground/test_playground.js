// SPDX-License-Identifier: MIT
// The playground in a real browser (Debian's chromium, headless):
// findings shown and marked as a script is typed, the platform and
// template settings, the fixes' diff and its button, share links, the
// keyboard, the colour schemes, the rule pages, and window.ipxeLint()
// against `ipxe-lint -f json` on the typed scripts and on every file of
// the corpus (../shared/corpus; skipped when missing, except under CI).
//
// usage: node test_playground.js --site DIR --cli IPXE_LINT
//                                [--corpus DIR] [--screenshot PNG]
// Exits 0 when every check passes, 1 otherwise.
'use strict';

const {spawnSync} = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const {serve, launch, open} = require('./harness');

const ROOT = path.resolve(__dirname, '..', '..');

function args() {
    const a = {corpus: path.resolve(ROOT, '..', 'shared', 'corpus')};
    const argv = process.argv.slice(2);
    for (let i = 0; i < argv.length; i += 2) {
        const k = argv[i].replace(/^--/, '');
        if (!['site', 'cli', 'corpus', 'screenshot'].includes(k) ||
            argv[i + 1] === undefined) {
            console.error('usage: test_playground.js --site DIR --cli ' +
                          'IPXE_LINT [--corpus DIR] [--screenshot PNG]');
            process.exit(3);
        }
        a[k] = path.resolve(argv[i + 1]);
    }
    if (!a.site || !a.cli) {
        console.error('test_playground.js: --site and --cli are needed');
        process.exit(3);
    }
    return a;
}

let failures = 0;
function check(ok, what, detail) {
    console.log((ok ? 'ok    ' : 'FAIL  ') + what);
    if (!ok) {
        failures++;
        if (detail !== undefined)
            console.log('      ' + String(detail).split('\n').join('\n      '));
    }
}

const opt = args();
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'ipxe-playground-'));

/** `ipxe-lint -f json` on @p text, as script.ipxe (the page's name). */
function cliJson(text, flags) {
    fs.writeFileSync(path.join(TMP, 'script.ipxe'), text);
    const p = spawnSync(opt.cli, ['-f', 'json', '--no-config',
                                  ...(flags || []), 'script.ipxe'],
                        {cwd: TMP, encoding: 'utf8',
                         env: {...process.env, IPXE_LINT_OPTS: ''}});
    if (p.status !== 0 && p.status !== 1)
        throw new Error('ipxe-lint failed (' + p.status + '): ' + p.stderr);
    return JSON.parse(p.stdout);
}

function cliFlags(o) {
    return ['--platform=' + (o.platform || 'any'),
            ...(o.template ? ['--template'] : [])];
}

/** Replace the editor's text by typing @p text; wait for the findings. */
async function typeScript(page, text) {
    await page.click('#script');
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(text);
    await settle(page);
}

async function settle(page) {
    await page.waitForFunction(() => !window.ipxePlayground.pending &&
        !window.ipxePlayground.fixPending && window.ipxePlayground.runs > 0,
        {timeout: 10000});
}

async function shown(page) {
    return page.evaluate(() => ({
        text: document.getElementById('script').value,
        items: [...document.querySelectorAll('#findings li')].map((li) => ({
            where: li.querySelector('.goto').textContent,
            sev: li.querySelector('.sev').textContent,
            code: li.querySelector('.code').textContent,
            href: li.querySelector('.code').getAttribute('href'),
            msg: li.querySelector('.msg').textContent,
        })),
        gutter: [...document.querySelectorAll('#gutter div')].map(
            (d, i) => d.classList.contains('mark') ? (i + 1) + ':' +
                d.className.replace(/.*sev-/, '') : null).filter((x) => x),
        bands: [...document.querySelectorAll('#marks .band')].map(
            (b) => b.dataset.line + ':' + b.className.replace(/.*sev-/, '')),
        summary: document.getElementById('summary').textContent,
        live: document.getElementById('summary').getAttribute('aria-live'),
        fixHidden: document.getElementById('fix-pane').hidden,
        diff: document.getElementById('diff').textContent,
    }));
}

const SEV = ['error', 'warning', 'info', 'style'];
/** "line:severity" of the worst finding of each line, sorted by line. */
function worstByLine(findings) {
    const m = new Map();
    for (const f of findings) {
        const had = m.get(f.line);
        if (!had || SEV.indexOf(f.severity) < SEV.indexOf(had))
            m.set(f.line, f.severity);
    }
    return [...m.keys()].sort((a, b) => a - b).map((l) => l + ':' + m.get(l));
}

const DEMO = '#!ipxe\n' +
    'dhcp\n' +
    'chian http://boot.example.net/menu.ipxe\n' +
    'isset ${net0/mac} || goto nonet\n' +
    'kernel http://boot.example.net/vmlinuz initrd=initrd.img\n' +
    'initrd http://boot.example.net/initrd.img\n' +
    'boot\n';

async function typing(page) {
    await typeScript(page, DEMO);
    const s = await shown(page);
    const cli = cliJson(DEMO, cliFlags({}));
    check(s.text === DEMO, 'the typed script is in the editor');
    check(cli.findings.length > 1, 'the demo script has findings (' +
          cli.findings.length + ')');
    check(JSON.stringify(s.items.map((i) => i.code)) ===
          JSON.stringify(cli.findings.map((f) => f.code)),
          'the findings listed are the CLI\'s',
          JSON.stringify({page: s.items, cli: cli.findings}, null, 1));
    check(s.items.every((it, k) => {
        const f = cli.findings[k];
        return f && it.where === f.line + ':' + f.column &&
            it.sev === f.severity && it.msg === f.message &&
            it.href === 'rules/' + f.code + '.html';
    }), 'each finding shows its place, severity, message and rule link');
    const want = worstByLine(cli.findings);
    check(JSON.stringify(s.gutter) === JSON.stringify(want),
          'the line numbers of the lines with findings are marked',
          JSON.stringify({gutter: s.gutter, want}));
    check(JSON.stringify([...s.bands].sort()) ===
          JSON.stringify([...want].sort()),
          'those lines are marked in the editor too',
          JSON.stringify({bands: s.bands, want}));
    check(s.live === 'polite' && /1 error/.test(s.summary) &&
          /IPX2101/.test(s.summary),
          'the live region announces the findings', s.summary);
    const api = await page.evaluate((t) => window.ipxeLint(t), DEMO);
    check(JSON.stringify(api) === JSON.stringify(cli),
          'ipxeLint() on the demo script equals ipxe-lint -f json',
          JSON.stringify({api, cli}));
    const bad = await page.evaluate(() => {
        try {
            window.ipxeLint('#!ipxe\n', {platform: 'arm'});
            return 'no error';
        } catch (e) {
            return e.message;
        }
    });
    check(/arm/.test(bad) && /efi/.test(bad),
          'ipxeLint() with a platform that is not one throws, saying why',
          bad);

    // a keystroke updates the findings (the typo fixed by hand)
    const before = await page.evaluate(() => window.ipxePlayground.runs);
    await page.evaluate(() => {
        const ta = document.getElementById('script');
        const at = ta.value.indexOf('chian') + 2;
        ta.focus();
        ta.setSelectionRange(at, at + 2); // "ia"
    });
    await page.keyboard.type('ai');
    await settle(page);
    const after = await shown(page);
    check(await page.evaluate(() => window.ipxePlayground.runs) > before &&
          !after.items.some((i) => i.code === 'IPX2101'),
          'typing a fix updates the findings at once', JSON.stringify(after));
    const rule = await page.evaluate(async (href) => {
        const r = await fetch(href);
        return r.ok ? await r.text() : '';
    }, s.items[0].href);
    check(/<h1>IPX2101 unknown-command<\/h1>/.test(rule) &&
          /<pre><code/.test(rule),
          'the rule page a code links to is in the site, as HTML');
}

async function settings(page) {
    const script = '#!ipxe\nntp pool.ntp.org || echo no clock\n' +
                   'chain {{ menu_url }}\n';
    await typeScript(page, script);
    for (const platform of ['any', 'efi', 'pcbios']) {
        for (const template of [false, true]) {
            await page.select('#platform', platform);
            const checked = await page.$eval('#template', (e) => e.checked);
            if (checked !== template)
                await page.click('#template');
            await settle(page);
            const s = await shown(page);
            const cli = cliJson(script, cliFlags({platform, template}));
            check(JSON.stringify(s.items.map((i) => i.code + '@' + i.where)) ===
                  JSON.stringify(cli.findings.map(
                      (f) => f.code + '@' + f.line + ':' + f.column)),
                  'platform ' + platform + (template ? ', template' : '') +
                  ': the findings are the CLI\'s (' + cli.findings.length +
                  ')', JSON.stringify({page: s.items, cli: cli.findings}));
        }
    }
    const codes = (o) => cliJson(script, cliFlags(o)).findings.map(
        (f) => f.code + f.severity).join();
    check(codes({platform: 'pcbios'}) !== codes({platform: 'efi'}) &&
          codes({}) !== codes({template: true}),
          'the settings change what is found (so the checks above mean ' +
          'something)');
    await page.select('#platform', 'any');
    if (await page.$eval('#template', (e) => e.checked))
        await page.click('#template');
    await settle(page);
}

async function fixes(page) {
    await typeScript(page, DEMO);
    let s = await shown(page);
    fs.writeFileSync(path.join(TMP, 'script.ipxe'), DEMO);
    const cliDiff = spawnSync(opt.cli, ['-f', 'diff', '--no-config',
                                        'script.ipxe'],
                              {cwd: TMP, encoding: 'utf8'}).stdout;
    const hunks = (d) => d.split('\n').filter(
        (l) => !/^(---|\+\+\+) /.test(l)).join('\n');
    check(!s.fixHidden && hunks(s.diff) === hunks(cliDiff) && cliDiff,
          'the fixes are shown as the diff ipxe-lint -f diff prints',
          JSON.stringify({page: s.diff, cli: cliDiff}));
    await page.focus('#apply');
    await page.keyboard.press('Enter');
    await settle(page);
    s = await shown(page);
    const patched = spawnSync('patch', ['-s', '-o', '-', 'script.ipxe'],
                              {cwd: TMP, input: cliDiff, encoding: 'utf8'});
    check(patched.status === 0 && s.text === patched.stdout,
          'the apply button makes the script the diff describes',
          JSON.stringify({page: s.text, patched: patched.stdout}));
    check(!s.items.some((i) => i.code === 'IPX2101') && s.fixHidden &&
          /Applied 1 fix/.test(s.summary),
          'after applying: that finding is gone, no fix left, it is said',
          JSON.stringify(s));
    // the editor's undo takes it back
    await page.focus('#script');
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyZ');
    await page.keyboard.up('Control');
    await settle(page);
    s = await shown(page);
    check(s.text === DEMO, 'Ctrl+Z undoes the applied fixes');
}

async function sharing(browser, page) {
    const script = '#!ipxe\n# caf\u00e9 \u2013 \u{1F680}\nchain ' +
                   'http://boot.example.net/${net0/mac}.ipxe\nbootx\n';
    await typeScript(page, script);
    await page.select('#platform', 'efi');
    await settle(page);
    await page.click('#share');
    const url = await page.$eval('#share-url', (e) => e.value);
    const focused = await page.evaluate(() => document.activeElement.id);
    check(/#script=[A-Za-z0-9_-]+&platform=efi$/.test(url) &&
          focused === 'share-url',
          'the share link carries the script in its fragment, and is ' +
          'selected to copy', url);
    const mine = await shown(page);
    const other = await open(browser, url);
    const theirs = await shown(other);
    check(theirs.text === script &&
          await other.$eval('#platform', (e) => e.value) === 'efi',
          'opening the link gives the same script and platform',
          JSON.stringify(theirs.text));
    check(JSON.stringify(theirs.items) === JSON.stringify(mine.items),
          'and the same findings');
    check(other.errors.length === 0, 'no error in the console',
          other.errors.join('\n'));
    await other.close();
    await page.select('#platform', 'any');
    await settle(page);
}

async function keyboard(page) {
    await typeScript(page, DEMO);
    await page.evaluate(() => { document.activeElement.blur(); });
    await page.goto(page.url()); // from the top of a fresh page
    await page.waitForSelector('body[data-ready="1"]');
    const seen = [];
    for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        seen.push(await page.evaluate(() => {
            const e = document.activeElement;
            return e.id || e.className || e.tagName;
        }));
    }
    for (const want of ['platform', 'template', 'share', 'theme', 'script',
                        'goto', 'code', 'apply'])
        check(seen.includes(want), 'Tab reaches ' + want, seen.join(' '));
    // Tab from the editor leaves it (no keyboard trap)
    const i = seen.indexOf('script');
    check(i >= 0 && seen[i + 1] !== 'script', 'Tab leaves the editor');
    // a finding's place button moves the caret to it
    await page.focus('#findings .goto');
    await page.keyboard.press('Enter');
    const sel = await page.evaluate(() => {
        const ta = document.activeElement;
        return {id: ta.id, text: ta.value.slice(ta.selectionStart,
                                                ta.selectionEnd)};
    });
    const first = cliJson(DEMO, []).findings[0];
    const line = DEMO.split('\n')[first.line - 1];
    check(sel.id === 'script' &&
          sel.text === line.slice(first.column - 1, first.endColumn - 1),
          'Enter on a finding selects its text in the editor',
          JSON.stringify(sel));
}

async function schemes(page) {
    const bg = () => page.evaluate(() => getComputedStyle(document.body)
        .backgroundColor);
    await page.emulateMediaFeatures([{name: 'prefers-color-scheme',
                                      value: 'light'}]);
    const light = await bg();
    await page.emulateMediaFeatures([{name: 'prefers-color-scheme',
                                      value: 'dark'}]);
    const dark = await bg();
    await page.select('#theme', 'light');
    const forced = await bg();
    await page.select('#theme', 'auto');
    check(light === 'rgb(255, 255, 255)' && dark !== light && forced === light,
          'light and dark colour schemes (system or chosen)',
          [light, dark, forced].join(' / '));
    await page.emulateMediaFeatures([{name: 'prefers-color-scheme',
                                      value: 'light'}]);
}

async function corpus(page) {
    const manifest = path.join(opt.corpus, 'MANIFEST.tsv');
    if (!fs.existsSync(manifest)) {
        if (process.env.CI === 'true') {
            check(false, 'the corpus is at ' + opt.corpus + ' (CI=true)');
            return;
        }
        console.log('skip  the corpus comparison: no ' + manifest);
        return;
    }
    const files = fs.readFileSync(manifest, 'utf8').split('\n').slice(1)
        .filter((l) => l.trim()).map((l) => l.split('\t')[0]);
    const run = spawnSync(opt.cli, ['-f', 'json', '--no-config', ...files],
                          {cwd: opt.corpus, encoding: 'utf8',
                           maxBuffer: 1 << 30,
                           env: {...process.env, IPXE_LINT_OPTS: ''},
                           stdio: ['ignore', 'pipe', 'inherit']});
    if (run.status !== 0 && run.status !== 1) {
        check(false, 'ipxe-lint -f json on the corpus exits 0 or 1',
              'exit status ' + run.status);
        return;
    }
    const out = run.stdout;
    const byFile = new Map(files.map((f) => [f, []]));
    for (const f of JSON.parse(out).findings)
        byFile.get(f.file).push(f);
    let same = 0;
    const differ = [];
    for (let i = 0; i < files.length; i += 40) {
        const batch = files.slice(i, i + 40).map((name) => ({
            name,
            b64: fs.readFileSync(path.join(opt.corpus, name))
                .toString('base64'),
        }));
        const got = await page.evaluate((b) => b.map((f) => {
            const bin = atob(f.b64);
            const bytes = new Uint8Array(bin.length);
            for (let k = 0; k < bin.length; k++)
                bytes[k] = bin.charCodeAt(k);
            // named as the CLI names it: the name is in each finding,
            // and some rules read it, as the command line's do
            return JSON.stringify(window.ipxeLint(bytes, {filename: f.name}));
        }), batch);
        batch.forEach((f, k) => {
            if (got[k] === JSON.stringify({findings: byFile.get(f.name)}))
                same++;
            else
                differ.push(f.name);
        });
    }
    check(same === files.length && files.length > 0,
          'ipxeLint() equals ipxe-lint -f json on every corpus file (' +
          same + ' of ' + files.length + ')',
          differ.slice(0, 10).join('\n'));
}

async function main() {
    const server = await serve(opt.site);
    const browser = await launch();
    try {
        const page = await open(browser, server.url);
        check(await page.evaluate(() => typeof window.ipxeLint) === 'function',
              'the page loads and exposes window.ipxeLint');
        await typing(page);
        if (opt.screenshot) {
            await typeScript(page, DEMO);
            await page.screenshot({path: opt.screenshot});
            console.log('wrote ' + opt.screenshot);
        }
        await settings(page);
        await fixes(page);
        await sharing(browser, page);
        await schemes(page);
        await corpus(page);
        await keyboard(page);
        check(page.errors.length === 0, 'no error in the page\'s console',
              page.errors.join('\n'));
    } finally {
        await browser.close();
        server.stop();
        fs.rmSync(TMP, {recursive: true, force: true});
    }
    console.log(failures ? failures + ' check(s) failed' : 'all checks passed');
    process.exit(failures ? 1 : 0);
}

main().catch((e) => {
    console.error('test_playground.js: ' + (e.stack || e));
    process.exit(1);
});
