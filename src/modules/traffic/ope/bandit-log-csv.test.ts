import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BanditLogError, parseBanditLog, parseTimestampUs, readBanditLog } from './bandit-log-csv.ts';
import { generateSyntheticLog, toObdCsv } from './synthetic-bandit-log.ts';

const HEADER =
  ',timestamp,item_id,position,click,propensity_score,user_feature_0,user-item_affinity_0,user-item_affinity_1,user-item_affinity_2';

describe('OBD log CSV reader', () => {
  it('reads the needed columns: 0-based item and position, propensity, items with past clicks', () => {
    const log = parseBanditLog(
      `${HEADER}\n0,2019-11-24 00:03:13.442536+00:00,2,3,1,0.333,abc,0.0,2.0,0.0\n` +
        '1,2019-11-24 00:03:13.442537+00:00,0,1,0,0.5,abc,0.0,0.0,0.0\n',
      'x.csv',
    );
    expect(log.nItems).toBe(3);
    expect(log.rounds).toEqual([
      { timeUs: 1574553793442536, item: 2, position: 2, click: 1, propensity: 0.333, affinityItems: [1] },
      { timeUs: 1574553793442537, item: 0, position: 0, click: 0, propensity: 0.5, affinityItems: [] },
    ]);
  });

  it('keeps microseconds in timestamps', () => {
    expect(parseTimestampUs('2019-11-24 00:00:00.000001+00:00')).toBe(
      parseTimestampUs('2019-11-24 00:00:00+00:00') + 1,
    );
    expect(parseTimestampUs('2019-11-24 01:00:00+01:00')).toBe(parseTimestampUs('2019-11-24T00:00:00Z'));
    expect(parseTimestampUs('yesterday')).toBeNaN();
  });

  it('fails clearly on a missing column, a bad cell or a missing file', () => {
    const noClick = HEADER.replace(',click', ',klick');
    expect(() => parseBanditLog(`${noClick}\n`, 'a.csv')).toThrow(/a\.csv: missing column "click"/);
    expect(() => parseBanditLog(',timestamp,item_id,position,click,propensity_score\n', 'b.csv')).toThrow(
      /user-item_affinity_0/,
    );
    expect(() =>
      parseBanditLog(`${HEADER}\n0,2019-11-24 00:03:13+00:00,7,1,0,0.3,abc,0,0,0\n`, 'c.csv'),
    ).toThrow(/c\.csv:2: bad item_id "7"/);
    expect(() =>
      parseBanditLog(`${HEADER}\n0,2019-11-24 00:03:13+00:00,1,1,0,0,abc,0,0,0\n`, 'd.csv'),
    ).toThrow(/bad propensity_score/);
    expect(() => parseBanditLog('', 'e.csv')).toThrow(BanditLogError);
    expect(() => readBanditLog('/nonexistent/men.csv')).toThrow(/missing file: \/nonexistent\/men\.csv/);
  });

  it('reads back what the synthetic fixture writer writes', () => {
    const rounds = generateSyntheticLog({
      nItems: 5,
      slots: 3,
      rounds: 50,
      seed: 3,
      affinityShare: 0.3,
      clickProb: () => 0.3,
    });
    const dir = mkdtempSync(join(tmpdir(), 'ope-csv-'));
    const file = join(dir, 'men.csv');
    writeFileSync(file, toObdCsv(rounds, 5));
    const log = readBanditLog(file);
    expect(log.nItems).toBe(5);
    expect(log.rounds).toEqual(rounds.map((r) => ({ ...r, propensity: 0.2 })));
  });
});
