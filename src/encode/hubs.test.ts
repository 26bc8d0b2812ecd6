import { describe, expect, it } from 'vitest';
import { HUB_SHARE_WARNING, hubShare, isHubDominated } from './hubs.ts';

describe('hubShare', () => {
  it('finds the unit active in the most rows and its share of the rows', () => {
    // 4 rows of K = 2 on 6 units: unit 3 is in three rows.
    const active = Uint32Array.from([0, 3, 1, 3, 3, 5, 2, 4]);
    expect(hubShare({ n: 4, k: 2, active }, 6)).toEqual({ unit: 3, count: 3, share: 0.75 });
  });

  it('breaks ties towards the lower unit and reports nothing for no rows', () => {
    const active = Uint32Array.from([4, 5, 1, 2]);
    expect(hubShare({ n: 2, k: 2, active }, 6).unit).toBe(1);
    expect(hubShare({ n: 0, k: 2, active: new Uint32Array(0) }, 6)).toEqual({
      unit: -1,
      count: 0,
      share: 0,
    });
  });

  it('warns from the measured share on, not below it', () => {
    expect(isHubDominated({ unit: 0, count: 10, share: HUB_SHARE_WARNING })).toBe(true);
    expect(isHubDominated({ unit: 0, count: 5, share: HUB_SHARE_WARNING / 2 })).toBe(false);
  });
});
