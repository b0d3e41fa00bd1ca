import { test } from 'node:test';
import assert from 'node:assert/strict';
import { letterCounts, prefersCharShingles, shingleSet } from '../../server/src/engine/similarity/shingles';
import { profileText } from '../../server/src/engine/text/profile';
import { rng } from './nearText';

/**
 * shingleSet reads a text's letters and Han/Kana counts (whether it is shingled by characters) in
 * one light pass of its own instead of a second full profile: the counts must be profileText's.
 */

const counts = (s: string) => {
  const p = profileText(s);
  return { letters: p.letters, cjk: p.cjk };
};

test('letterCounts counts every character as profileText does', () => {
  for (let c = 0; c < 0x10000; c++) {
    const s = String.fromCharCode(c);
    assert.deepEqual(letterCounts(s), counts(s), `U+${c.toString(16).padStart(4, '0')}`);
  }
});

test('letterCounts agrees with profileText on mixed texts (Latin, accents, Han, Kana, half- and full-width, supplementary ideographs, spaces)', () => {
  const random = rng(17);
  const pools = ['abcXYZ019', 'éüßçñ', '中文数据集的质量', 'ひらがなカタカナ', 'ｱｲｳｴｵﾞ', 'ＡＢＣ１２３', '𠀀𠀁𪚥😀', ' \t\n\u00a0\u3000\u2003', '.,!?。、「」'];
  for (let i = 0; i < 2000; i++) {
    let s = '';
    const length = 1 + Math.floor(random() * 40);
    for (let j = 0; j < length; j++) {
      const pool = [...pools[Math.floor(random() * pools.length)]];
      s += pool[Math.floor(random() * pool.length)];
    }
    assert.deepEqual(letterCounts(s), counts(s), JSON.stringify(s));
  }
});

test('a mostly Chinese text of many "words" is shingled by characters, a mostly Latin one with a few Han characters by words', () => {
  const chinese = '这个 数据集 的 质量 很好 但是 有些 重复 的 行 需要 删除';
  assert.ok(prefersCharShingles(letterCounts(chinese).cjk, letterCounts(chinese).letters));
  // Character 3-grams of the normalised text (spaces included): more than the 8 word shingles.
  assert.ok(shingleSet(chinese, 5).length > 20);
  const latin = 'the battery lasts two full days 中 and charging is quick';
  assert.equal(shingleSet(latin, 5).length, 7, 'one shingle per five-word window');
});
