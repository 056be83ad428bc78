// SPDX-License-Identifier: MIT
// What the playground's browser test and benchmark share: the built site
// served by `python3 -m http.server` on a free local port, and Debian's
// chromium, headless, driven by puppeteer-core (no browser is downloaded).
'use strict';

const {spawn} = require('child_process');
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Serve @p dir on 127.0.0.1; resolves to {url, stop()}. */
function serve(dir) {
    if (!fs.existsSync(path.join(dir, 'index.html')) ||
        !fs.existsSync(path.join(dir, 'ipxe-lint.wasm')))
        throw new Error(dir + ' holds no built playground: build it with ' +
                        '`emcmake cmake -S . -B build-wasm && cmake --build ' +
                        'build-wasm --target playground`');
    return new Promise((resolve, reject) => {
        const p = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind',
                                    '127.0.0.1', '--directory', dir],
                        {stdio: ['ignore', 'pipe', 'pipe']});
        let said = '';
        const onData = (d) => {
            said += d;
            const m = /port (\d+)/.exec(said);
            if (m) {
                p.stdout.off('data', onData);
                p.stdout.resume();
                p.stderr.resume(); // the request log: not read
                resolve({url: 'http://127.0.0.1:' + m[1] + '/',
                         stop: () => p.kill()});
            }
        };
        p.stdout.on('data', onData);
        p.on('error', reject);
        p.on('exit', (code) => reject(new Error(
            'python3 -m http.server exited (' + code + '): ' + said)));
    });
}

/** Start the browser. */
function launch() {
    const args = ['--disable-gpu', '--disable-dev-shm-usage',
                  '--no-first-run', '--no-default-browser-check'];
    // chromium's sandbox refuses to run as root
    if (process.getuid && process.getuid() === 0)
        args.push('--no-sandbox');
    return puppeteer.launch({executablePath: CHROMIUM, headless: true, args,
                             defaultViewport: {width: 1280, height: 800}});
}

/** Open the playground at @p url and wait for the linter to be loaded. */
async function open(browser, url) {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
        if (m.type() === 'error')
            errors.push(m.text());
    });
    await page.goto(url, {waitUntil: 'load'});
    await page.waitForSelector('body[data-ready="1"]', {timeout: 20000});
    page.errors = errors;
    return page;
}

module.exports = {serve, launch, open, CHROMIUM};
