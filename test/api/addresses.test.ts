import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ADDRESSES } from '../../src/modules/addresses/index.ts';
import { apiOf } from '../support/api.ts';
import { testAddress } from '../support/fixtures.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describe('address book', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiOf>;
  let buyer: string;
  let otherBuyer: string;
  let merchant: string;

  const list = async (cookie: string) => {
    const res = await api('GET', '/addresses', cookie);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().addresses as Array<{ id: string; detail: string; isDefault: boolean }>;
  };
  const save = async (cookie: string, detail: string, extra: object = {}) => {
    const res = await api('POST', '/addresses', cookie, { ...testAddress, detail, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().address as { id: string; isDefault: boolean; detail: string };
  };

  beforeAll(async () => {
    t = await createTestApp();
    api = apiOf(t);
    buyer = await t.signIn('13600000001');
    otherBuyer = await t.signIn('13600000002');
    merchant = await t.signIn('13700000001', 'merchant');
  });
  afterAll(async () => t?.close());

  it('saves addresses; the first is the default, and a later one can take the mark', async () => {
    expect(await list(buyer)).toEqual([]);
    const home = await save(buyer, '中关村大街 1 号');
    expect(home.isDefault).toBe(true);
    const work = await save(buyer, '望京街 9 号');
    expect(work.isDefault).toBe(false);
    expect((await list(buyer)).map((a) => [a.detail, a.isDefault])).toEqual([
      ['中关村大街 1 号', true],
      ['望京街 9 号', false],
    ]);

    const made = await api('PATCH', `/addresses/${work.id}`, buyer, { isDefault: true });
    expect(made.statusCode, made.body).toBe(200);
    expect((await list(buyer)).map((a) => [a.id, a.isDefault])).toEqual([
      [work.id, true],
      [home.id, false],
    ]);

    const saved = await save(buyer, '三里屯路 3 号', { isDefault: true });
    expect((await list(buyer)).filter((a) => a.isDefault).map((a) => a.id)).toEqual([saved.id]);
  });

  it('edits fields; deleting the default hands the mark to the newest other address', async () => {
    const [current] = await list(buyer);
    const edited = await api('PATCH', `/addresses/${current?.id}`, buyer, {
      detail: '三里屯路 5 号',
      city: '北京市',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().address).toMatchObject({
      detail: '三里屯路 5 号',
      isDefault: true,
      name: testAddress.name,
    });

    const gone = await api('DELETE', `/addresses/${current?.id}`, buyer);
    expect(gone.statusCode, gone.body).toBe(200);
    const rest = await list(buyer);
    expect(rest.map((a) => a.detail)).toEqual(['望京街 9 号', '中关村大街 1 号']);
    expect(rest[0]?.isDefault).toBe(true);
  });

  it("keeps each buyer's book private: another buyer's address is not found", async () => {
    const [mine] = await list(buyer);
    expect(await list(otherBuyer)).toEqual([]);
    for (const [method, body] of [
      ['PATCH', { detail: '别人的地址' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await api(method, `/addresses/${mine?.id}`, otherBuyer, body);
      expect(res.statusCode, res.body).toBe(404);
    }
    expect((await list(buyer)).find((a) => a.id === mine?.id)?.detail).toBe(mine?.detail);
  });

  it('is for buyers only', async () => {
    expect((await api('GET', '/addresses')).statusCode).toBe(401);
    const res = await api('POST', '/addresses', merchant, testAddress);
    expect(res.statusCode, res.body).toBe(403);
  });

  it('refuses bad input with a 400 and saves nothing', async () => {
    const before = await list(buyer);
    for (const bad of [
      { ...testAddress, phone: '12345' },
      { ...testAddress, name: '' },
      { ...testAddress, detail: 'x'.repeat(201) },
      { ...testAddress, city: '北京\u202e市' },
      { ...testAddress, district: '海淀\n区' },
      { ...testAddress, extra: 1 },
      { name: '张三' },
    ]) {
      const res = await api('POST', '/addresses', buyer, bad);
      expect(res.statusCode, `${JSON.stringify(bad)} → ${res.body}`).toBe(400);
    }
    const id = before[0]?.id;
    const patch = await api('PATCH', `/addresses/${id}`, buyer, { phone: '10000000000' });
    expect(patch.statusCode, patch.body).toBe(400);
    expect(await list(buyer)).toEqual(before);
  });

  it(`keeps at most ${MAX_ADDRESSES} addresses per buyer`, async () => {
    const cookie = await t.signIn('13600000003');
    for (let i = 0; i < MAX_ADDRESSES; i += 1) await save(cookie, `幸福路 ${i} 号`);
    const over = await api('POST', '/addresses', cookie, { ...testAddress, detail: '幸福路 99 号' });
    expect(over.statusCode, over.body).toBe(409);
    expect(over.json().error.code).toBe('too_many_addresses');
    expect((await list(cookie)).length).toBe(MAX_ADDRESSES);
  });
});
