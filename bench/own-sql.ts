import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/**
 * The checkout's own SQL as a pgbench script ("ownSqlTps"): the statements the server sends for one
 * checkout are captured at the `pg` client (everything that goes to the server, BEGIN and COMMIT
 * included, one `client.query` = one round trip), then written out as a pgbench script whose
 * parameters are pgbench variables set per transaction.
 *
 * Every captured parameter becomes one of:
 *  - a per-transaction value: the buyer (by pgbench client, as the HTTP runs give each connection
 *    its buyer) and anything derived from it (account id, session token, its hash), a random SKU,
 *    a fresh UUID for every id the checkout made (any UUID that is not a fixture row), a fresh
 *    idempotency key, a fresh order number, and every timestamp as now() + its captured offset;
 *  - a value that embeds some of those (an array literal, the JSON of an answer or an event): its
 *    captured text with the per-transaction parts replaced, rebuilt per transaction;
 *  - a constant (the same for every checkout of the fixture): passed with `-D`, never inlined, so
 *    the statement text stays what the server sends (and no `:` in a literal confuses pgbench).
 * All per-transaction values come from one `select … \gset` at the start of each transaction
 * (bench_buyers/bench_skus lookup + gen_random_uuid()): one extra, trivial round trip the server
 * does not make, so ownSqlTps slightly understates the database's ceiling.
 */

export interface CapturedQuery {
  text: string;
  values: unknown[];
}

let capturing: CapturedQuery[] | undefined;
let patched = false;

/**
 * Records every query any `pg` client of this process sends while `start()`…`stop()` runs. Must be
 * installed before the pool opens its connections (db.ts binds `client.query` on connect).
 */
export function installQueryCapture(): { start(): void; stop(): CapturedQuery[] } {
  if (!patched) {
    patched = true;
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = proto.query;
    proto.query = function (this: unknown, config: unknown, values?: unknown, callback?: unknown) {
      if (capturing) {
        if (typeof config === 'string') {
          capturing.push({ text: config, values: Array.isArray(values) ? values : [] });
        } else if (config && typeof config === 'object' && 'text' in config) {
          const c = config as { text: string; values?: unknown[] };
          capturing.push({ text: c.text, values: c.values ?? (Array.isArray(values) ? values : []) });
        }
      }
      return original.call(this, config, values, callback);
    };
  }
  return {
    start: () => {
      capturing = [];
    },
    stop: () => {
      const got = capturing ?? [];
      capturing = undefined;
      return got;
    },
  };
}

/** The text `pg` sends for a parameter (null stays null). */
function wireText(value: unknown): string | null {
  // pg's own conversion (arrays as '{…}' literals, dates with the local offset, objects as JSON)
  // biome-ignore lint/suspicious/noExplicitAny: pg/lib/utils has no types
  const out = (pgUtils as any).prepareValue(value);
  if (out === null || out === undefined) return null;
  return Buffer.isBuffer(out) ? `\\x${out.toString('hex')}` : String(out);
}

// biome-ignore lint/suspicious/noExplicitAny: pg/lib/utils has no types
let pgUtils: any;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export interface ScriptInput {
  /** The captured statements of one checkout (warm session). */
  statements: CapturedQuery[];
  /** When the checkout was made (its timestamps become now() + their offset from this). */
  at: Date;
  buyer: { accountId: string; token: string };
  skuId: string;
  idempotencyKey: string;
  /** Order numbers the checkout made (fresh per transaction when they are parameters). */
  orderNos: string[];
  /** UUIDs that are rows of the fixture (store, product, SKUs, accounts): constants. */
  fixtureIds: Set<string>;
  buyerCount: number;
  skuCount: number;
}

export interface PgbenchScript {
  /** Script text (the pick statement, then the statements). */
  text: string;
  /** `-D name=value` constants. */
  defines: Record<string, string>;
  /** Human-readable summary of what became what. */
  summary: string;
}

/** SQL tokens, enough to find `$n` parameters, comments and literals. */
function* sqlTokens(
  text: string,
): Generator<{ kind: 'param' | 'string' | 'comment' | 'other'; text: string; n?: number }> {
  const re =
    /--[^\n]*|\/\*[\s\S]*?\*\/|[eE]'(?:[^'\\]|\\.|'')*'|'(?:[^']|'')*'|"(?:[^"]|"")*"|(\$[A-Za-z_]*\$)[\s\S]*?\1|\$\d+|::|[A-Za-z_][A-Za-z0-9_$]*|\s+|[\s\S]/g;
  for (const m of text.matchAll(re)) {
    const t = m[0];
    if (t.startsWith('--') || t.startsWith('/*')) yield { kind: 'comment', text: t };
    else if (/^\$\d+$/.test(t)) yield { kind: 'param', text: t, n: Number(t.slice(1)) };
    else if (/^([eE]?'|\$[A-Za-z_]*\$)/.test(t)) yield { kind: 'string', text: t };
    else yield { kind: 'other', text: t };
  }
}

export async function pgbenchScript(input: ScriptInput): Promise<PgbenchScript> {
  // @ts-expect-error pg/lib/utils has no type declarations
  pgUtils ??= (await import('pg/lib/utils.js')).default;
  const defines: Record<string, string> = {};
  // Per-transaction values, by the exact text they have in the capture.
  const perTx = new Map<string, { name: string; expr: string }>();
  const tokenHash = sha256(input.buyer.token);
  perTx.set(input.buyer.accountId, { name: 'buyer_id', expr: 'b.account_id::text' });
  perTx.set(input.buyer.token, { name: 'buyer_token', expr: 'b.token' });
  perTx.set(tokenHash, { name: 'buyer_token_hash', expr: 'b.token_hash' });
  perTx.set(input.skuId, { name: 'sku_id', expr: 's.sku_id::text' });
  perTx.set(input.idempotencyKey, {
    name: 'idempotency_key',
    expr: `'bench-' || gen_random_uuid()::text`,
  });
  for (const [i, no] of input.orderNos.entries()) {
    perTx.set(no, {
      name: `order_no_${i + 1}`,
      expr: `to_char(now(), 'YYYYMMDD') || '-' || lpad(nextval('bench_order_no')::text, 9, '0')`,
    });
  }
  let fresh = 0;
  let dates = 0;
  const uuidOf = (u: string) => {
    const lower = u.toLowerCase();
    if (perTx.has(lower) || input.fixtureIds.has(lower)) return;
    fresh += 1;
    perTx.set(lower, { name: `new_id_${fresh}`, expr: 'gen_random_uuid()::text' });
  };
  // First pass: find every fresh uuid (in any parameter), so a composite can refer to them.
  for (const q of input.statements)
    for (const v of q.values) for (const u of (wireText(v) ?? '').match(UUID) ?? []) uuidOf(u);
  const tokens = [...perTx.keys()].sort((a, b) => b.length - a.length);
  const tokenRe = new RegExp(tokens.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  const composites: Array<{ name: string; template: string; uses: string[] }> = [];
  const constantName = new Map<string, string>();
  let constants = 0;
  let literals = 0;
  const lines: string[] = [];
  const statementSummary: string[] = [];

  input.statements.forEach((q, si) => {
    const replacement: string[] = [];
    q.values.forEach((v, k) => {
      const text = wireText(v);
      const at = `${si + 1}_${k + 1}`;
      if (text === null) {
        replacement[k] = 'null';
        return;
      }
      if (v instanceof Date) {
        dates += 1;
        const name = `ts_${dates}`;
        const offsetMs = v.getTime() - input.at.getTime();
        perTx.set(`\u0000date${dates}`, {
          name,
          expr: `(now() + make_interval(secs => ${(offsetMs / 1000).toFixed(3)}))::text`,
        });
        replacement[k] = `:${name}`;
        return;
      }
      const whole = perTx.get(text) ?? perTx.get(text.toLowerCase());
      if (whole) {
        replacement[k] = `:${whole.name}`;
        return;
      }
      const uses: string[] = [];
      const template = text.replace(tokenRe, (t) => {
        const hit = perTx.get(t) ?? perTx.get(t.toLowerCase());
        if (!hit) return t;
        uses.push(hit.name);
        return `@@${hit.name}@@`;
      });
      if (uses.length) {
        const name = `mix_${at}`;
        defines[`tpl_${at}`] = template;
        composites.push({ name, template: `tpl_${at}`, uses: [...new Set(uses)] });
        replacement[k] = `:${name}`;
        return;
      }
      let name = constantName.get(text);
      if (!name) {
        constants += 1;
        name = `const_${constants}`;
        constantName.set(text, name);
        defines[name] = text;
      }
      replacement[k] = `:${name}`;
    });
    let sqlText = '';
    for (const t of sqlTokens(q.text)) {
      if (t.kind === 'comment') sqlText += ' ';
      else if (t.kind === 'param') {
        const r = replacement[(t.n as number) - 1];
        if (r === undefined) throw new Error(`statement ${si + 1}: $${t.n} has no value`);
        sqlText += r;
      } else if (t.kind === 'string' && /:[A-Za-z0-9_]/.test(t.text)) {
        // pgbench would take ":name" inside the literal for a variable: the literal becomes one.
        literals += 1;
        const name = `literal_${literals}`;
        const quote = t.text.startsWith('$') ? '' : "'";
        defines[name] = quote
          ? t.text
              .replace(/^[eE]?'/, '')
              .slice(0, -1)
              .replaceAll("''", "'")
          : t.text.replace(/^(\$[A-Za-z_]*\$)([\s\S]*)\1$/, '$2');
        sqlText += `:${name}`;
      } else sqlText += t.text;
    }
    sqlText = sqlText.replace(/[ \t]+\n/g, '\n').trim();
    if (/\[[^\]]*:[A-Za-z0-9_]/.test(sqlText.replaceAll('::', ''))) {
      throw new Error(`statement ${si + 1} has an array slice pgbench cannot take:\n${sqlText}`);
    }
    lines.push(`${sqlText};`);
    statementSummary.push(
      `    ${si + 1}. ${q.text.replace(/\s+/g, ' ').trim().slice(0, 90)}${q.values.length ? ` [${q.values.length} params]` : ''}`,
    );
  });

  // The pick: buyer by client, SKU at random, fresh ids, then the composites built from them.
  const used = new Set(composites.flatMap((c) => c.uses));
  for (const l of lines) for (const m of l.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)) used.add(m[1] as string);
  const base = [...perTx.values()]
    .filter((p) => used.has(p.name))
    .map((p) => `${p.expr} as ${p.name}`)
    .concat(used.size ? [] : ['1 as nothing_varies'])
    .join(',\n    ');
  const mixes = composites
    .map((c) => {
      const expr = c.uses.reduce((e, u) => `replace(${e}, '@@${u}@@', v.${u})`, `:${c.template}`);
      return `${expr} as ${c.name}`;
    })
    .join(',\n  ');
  const pick = [
    `\\set b :client_id % ${input.buyerCount} + 1`,
    `\\set s random(1, ${input.skuCount})`,
    `select v.*${mixes ? `,\n  ${mixes}` : ''}\nfrom (\n  select\n    ${base}\n  from bench_buyers b, bench_skus s where b.i = :b and s.i = :s\n) v`,
    '\\gset',
  ].join('\n');
  const text = `${pick}\n${lines.join('\n')}\n`;
  const summary = [
    `  ${input.statements.length} statements per checkout, from the capture:`,
    ...statementSummary,
    `  per transaction: buyer by client (of ${input.buyerCount}), SKU at random (of ${input.skuCount}), ${fresh} fresh ids, ${dates} timestamps (now() + offset), ${composites.length} values rebuilt around them; ${constants} constants${literals ? `, ${literals} literals with ':' passed as variables` : ''}`,
  ].join('\n');
  return { text, defines, summary };
}

/** Writes the script to a temporary file; returns the pgbench arguments that run it. */
export function pgbenchScriptArgs(script: PgbenchScript, dir: string): string[] {
  const file = path.join(dir, 'checkout-own-sql.pgbench');
  fs.writeFileSync(file, script.text);
  return [
    '-n',
    '-M',
    'prepared',
    '-f',
    file,
    ...Object.entries(script.defines).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
  ];
}

/** The bench_* helper tables the pick statement reads, in the fixture's database. */
export async function createPickTables(
  client: pg.Client,
  buyers: Array<{ accountId: string; token: string }>,
  skuIds: string[],
): Promise<void> {
  await client.query(`
    create table bench_buyers (i int primary key, account_id uuid not null, token text not null, token_hash text not null);
    create table bench_skus (i int primary key, sku_id uuid not null);
    create sequence bench_order_no start 500000000`);
  await client.query(
    'insert into bench_buyers select i, a, t, h from unnest($1::int[], $2::uuid[], $3::text[], $4::text[]) as x(i, a, t, h)',
    [
      buyers.map((_, i) => i + 1),
      buyers.map((b) => b.accountId),
      buyers.map((b) => b.token),
      buyers.map((b) => sha256(b.token)),
    ],
  );
  await client.query('insert into bench_skus select i, s from unnest($1::int[], $2::uuid[]) as x(i, s)', [
    skuIds.map((_, i) => i + 1),
    skuIds,
  ]);
}

/** Statement text without comments and with whitespace collapsed, to compare a file with a capture. */
export function normalizedSql(text: string): string {
  let out = '';
  for (const t of sqlTokens(text)) out += t.kind === 'comment' ? ' ' : t.text;
  return out.replace(/\s+/g, ' ').trim().replace(/;$/, '').trim();
}

/**
 * Where the checkout's one-statement SQL file (when there is one) is among the captured statements:
 * a line for the report. The script is made from the capture either way (the file's text plus the
 * values the server binds to it).
 */
export function sqlFileInCapture(file: string, statements: CapturedQuery[]): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  // `{{…}}` markers are filled in by the file's loader: any text there.
  const pattern = normalizedSql(fs.readFileSync(file, 'utf8'))
    .split(/\{\{[^}]*\}\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*?');
  const re = new RegExp(`^${pattern}$`, 's');
  const at = statements.findIndex((q) => re.test(normalizedSql(q.text)));
  const name = path.basename(file);
  if (at >= 0)
    return `  statement ${at + 1} is ${name} (its {{…}} markers filled in), as the server sends it`;
  return `  WARNING: ${name} exists but none of the captured statements is its text`;
}
