// Builds the web pages (intake form, caseworker console, neutral exit page) with esbuild, in
// memory: the local server serves the result directly, and `npm run build:web` writes it to
// web/dist/ for the S3 bucket behind the CDN and prints the sizes, including the intake page's
// initial load.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, buildSync, type BuildOptions, type BuildResult } from 'esbuild';
import { parseDivisionsCsv, type Division } from '../shared/domain/divisions/divisions.js';
import { CACHE_CONTROL, contentSecurityPolicy } from './security-headers.js';

const WEB_DIR = dirname(fileURLToPath(import.meta.url));

export interface WebAsset {
  /** The URL path it is served at, e.g. "/", "/console", "/assets/intake-3KQ2.js". */
  urlPath: string;
  /** Its file name under web/dist/ when deployed as static files. */
  file: string;
  contentType: string;
  cacheControl: string;
  body: Buffer;
  /** Pre-compressed body for clients that accept gzip (the CDN compresses likewise). */
  gzip: Buffer;
}

export interface WebBuild {
  assets: Map<string, WebAsset>;
  /** What a first visit to the intake form downloads: the page, its stylesheet and its script. */
  intakeInitialLoad: string[];
}

export interface WebBuildOptions {
  /** Folder holding divisions.csv; defaults to DATA_DIR or ./data. */
  dataDir?: string;
  /** Where the quick-exit button sends her; a neutral site in production, a built-in page locally. */
  exitUrl?: string;
  /**
   * The API's origin when it is not the pages' own (e.g. https://api.example.gov.cn); empty for
   * the same origin, as under `npm start`. The CSP's connect-src must then name it (see
   * contentSecurityPolicy in security-headers.ts) and the API must allow the pages' origin (CORS).
   */
  apiBase?: string;
  minify?: boolean;
  /**
   * Leave the development sign-in form out of console.html (a build for deployment, where no
   * /dev/token exists). The console's script offers that form only when /dev/token answers, so
   * the local runtime keeps it (default false).
   */
  omitDevSignIn?: boolean;
}

/** The compact division list the console loads from /divisions.json. */
export interface DivisionsJson {
  province: { code: string; name: string };
  prefectures: { code: string; name: string; counties: { code: string; name: string }[] }[];
}

export function divisionsJson(divisions: readonly Division[]): DivisionsJson {
  const province = divisions.find((d) => d.level === 'province');
  if (!province) throw new Error('divisions: no province row');
  return {
    province: { code: province.code, name: province.name },
    prefectures: divisions
      .filter((d) => d.level === 'prefecture')
      .map((p) => ({
        code: p.code,
        name: p.name,
        counties: divisions.filter((c) => c.level === 'county' && c.parentCode === p.code).map((c) => ({ code: c.code, name: c.name })),
      })),
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The county select's options, grouped by prefecture, rendered into the page so it works before any script runs. */
export function divisionOptionsHtml(d: DivisionsJson): string {
  return d.prefectures
    .map(
      (p) =>
        `<optgroup label="${escapeHtml(p.name)}">` +
        `<option value="${p.code}">${escapeHtml(p.name)}（不确定哪个县市区）</option>` +
        p.counties.map((c) => `<option value="${c.code}">${escapeHtml(c.name)}</option>`).join('') +
        '</optgroup>',
    )
    .join('\n');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};
const typeOf = (file: string) => TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';

function asset(urlPath: string, file: string, body: Buffer | string, cacheControl: string): WebAsset {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return { urlPath, file, contentType: typeOf(file), cacheControl, body: bytes, gzip: gzipSync(bytes, { level: 9 }) };
}

/** '' or an origin without a path: https://host[:port] (http:// only for localhost). */
export function apiBaseOf(value: string | undefined): string {
  const v = (value ?? '').trim().replace(/\/$/, '');
  if (v === '' || /^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(v) || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(v)) return v;
  throw new Error(`web build: apiBase must be empty or an origin such as https://api.example.org, not "${v}"`);
}

const ESBUILD_OPTIONS = {
  absWorkingDir: WEB_DIR,
  entryPoints: ['src/intake.ts', 'src/console.ts', 'styles/intake.css', 'styles/console.css', 'styles/exit.css'],
  bundle: true,
  format: 'iife',
  // Old Android browsers on rural phones: keep the syntax modest.
  target: ['es2019', 'chrome70', 'safari15'],
  entryNames: '[name]-[hash]',
  outdir: 'assets',
  write: false,
  metafile: true,
  legalComments: 'none',
  logLevel: 'silent',
  charset: 'utf8',
} as const satisfies BuildOptions;

/** The development sign-in form of console.html (from its opening tag to its closing tag). */
const DEV_SIGN_IN_FORM = /\n?[ \t]*<form id="dev-form"[\s\S]*?<\/form>/;

export async function buildWeb(options: WebBuildOptions = {}): Promise<WebBuild> {
  const divisions = readDivisions(options);
  return assemble(await build({ ...ESBUILD_OPTIONS, minify: options.minify ?? true }), divisions, options);
}

/** The same build, synchronously (the CDK app builds the pages while it constructs the stacks). */
export function buildWebSync(options: WebBuildOptions = {}): WebBuild {
  const divisions = readDivisions(options);
  return assemble(buildSync({ ...ESBUILD_OPTIONS, minify: options.minify ?? true }), divisions, options);
}

function readDivisions(options: WebBuildOptions): DivisionsJson {
  const dataDir = options.dataDir ?? process.env.DATA_DIR ?? resolve(process.cwd(), 'data');
  return divisionsJson(parseDivisionsCsv(readFileSync(join(dataDir, 'divisions.csv'), 'utf8')));
}

function assemble(result: BuildResult<typeof ESBUILD_OPTIONS>, divisions: DivisionsJson, options: WebBuildOptions): WebBuild {
  const assets = new Map<string, WebAsset>();
  const byEntry = new Map<string, string>();
  for (const out of result.outputFiles) {
    const file = `assets/${basename(out.path)}`;
    const meta = result.metafile.outputs[file];
    if (meta?.entryPoint) byEntry.set(meta.entryPoint, `/${file}`);
    assets.set(`/${file}`, asset(`/${file}`, file, Buffer.from(out.contents), CACHE_CONTROL.immutableAsset));
  }
  const ref = (entry: string) => {
    const url = byEntry.get(entry);
    if (!url) throw new Error(`web build: no output for ${entry}`);
    return url;
  };
  const values: Record<string, string> = {
    'intake.js': ref('src/intake.ts'),
    'intake.css': ref('styles/intake.css'),
    'console.js': ref('src/console.ts'),
    'console.css': ref('styles/console.css'),
    'exit.css': ref('styles/exit.css'),
    exitUrl: escapeHtml(options.exitUrl ?? '/exit.html'),
    apiBase: escapeHtml(apiBaseOf(options.apiBase)),
    divisionOptions: divisionOptionsHtml(divisions),
  };
  const page = (template: string) =>
    readFileSync(join(WEB_DIR, 'pages', template), 'utf8').replace(/\{\{([\w.]+)\}\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined) throw new Error(`web build: ${template} uses unknown placeholder {{${key}}}`);
      return value;
    });
  let consolePage = page('console.html');
  if (options.omitDevSignIn) {
    if (!DEV_SIGN_IN_FORM.test(consolePage)) throw new Error('web build: console.html has no <form id="dev-form"> to leave out');
    consolePage = consolePage.replace(DEV_SIGN_IN_FORM, '');
  }
  assets.set('/', asset('/', 'index.html', page('index.html'), CACHE_CONTROL.page));
  assets.set('/console', asset('/console', 'console.html', consolePage, CACHE_CONTROL.page));
  assets.set('/exit.html', asset('/exit.html', 'exit.html', page('exit.html'), CACHE_CONTROL.page));
  assets.set('/divisions.json', asset('/divisions.json', 'divisions.json', JSON.stringify(divisions), CACHE_CONTROL.data));
  return { assets, intakeInitialLoad: ['/', values['intake.css']!, values['intake.js']!] };
}

/** Writes every file of a build under `outDir` (emptied first), as the bucket behind the CDN holds them. */
export function writeWebFiles(web: WebBuild, outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  for (const a of web.assets.values()) {
    mkdirSync(dirname(join(outDir, a.file)), { recursive: true });
    writeFileSync(join(outDir, a.file), a.body);
  }
}

export function initialLoadBytes(web: WebBuild): { raw: number; gzip: number } {
  let raw = 0;
  let gzip = 0;
  for (const path of web.intakeInitialLoad) {
    const a = web.assets.get(path)!;
    raw += a.body.length;
    gzip += a.gzip.length;
  }
  return { raw, gzip };
}

/** `npm run build:web`: writes web/dist/ and prints every file's size and the intake page's initial load. */
async function main(): Promise<void> {
  const outDir = join(WEB_DIR, 'dist');
  const apiBase = apiBaseOf(process.env.WEB_API_BASE);
  // A build for hosting: no development sign-in form (no hosting serves /dev/token).
  const web = await buildWeb({ exitUrl: process.env.WEB_EXIT_URL, apiBase, omitDevSignIn: true });
  writeWebFiles(web, outDir);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  for (const a of web.assets.values()) console.log(`${a.file.padEnd(34)} ${kb(a.body.length).padStart(9)}  gzip ${kb(a.gzip.length).padStart(8)}`);
  const load = initialLoadBytes(web);
  console.log(`\nintake page initial load (html + css + js): ${kb(load.raw)} raw, ${kb(load.gzip)} gzip (budget 100 KB)`);
  console.log(`written to ${outDir}`);
  console.log(`serve the pages with these headers (web/security-headers.ts); content-security-policy: ${contentSecurityPolicy(apiBase || undefined)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error('web build failed:', err);
    process.exit(1);
  });
}
