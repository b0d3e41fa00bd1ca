import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hanVariantPairs, hanVariants } from '../../server/src/engine/text/hanVariants';

/** The simplified/traditional table the Chinese bench asked for (#19) says what the pairs say. */

test('hanVariants: the table says what the pairs say (simplified 1, traditional 2, both 3, neither 0)', () => {
  for (const [simplified, traditional] of hanVariantPairs()) {
    assert.equal(hanVariants(`好${simplified}好`), 1, simplified);
    assert.equal(hanVariants(`好${traditional}好`), 2, traditional);
    assert.equal(hanVariants(`${simplified}${traditional}`), 3);
  }
  assert.equal(hanVariants('好好学习，天天向上'), 1);
  assert.equal(hanVariants('天天好好'), 0);
  assert.equal(hanVariants('plain ASCII ＡＢＣ ｶ 𠀀'), 0);
});
