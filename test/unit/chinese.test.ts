import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { computeDiversity } from '../../server/src/engine/report/diversity';
import { countSegmentedWords, languageOf, segmentWords } from '../../server/src/engine/text/scripts';
import { analyze, jsonl, ofRule, textFindings } from './helpers';

/**
 * Chinese and other text without spaces between words: measured in the unit it is read in, its
 * placeholders known, its language named. Sentences written for these tests.
 */

const REVIEWS = [
  { text: '这款手机的电池非常耐用，充一次电可以用两天。', label: '正面' },
  { text: '快递太慢了，等了整整一个星期才收到货。', label: '负面' },
  { text: '屏幕显示效果很清晰，颜色也很鲜艳。', label: '正面' },
  { text: '客服态度很差，问题一直没有解决。', label: '负面' },
  { text: '价格实惠，质量也不错，推荐购买。', label: '正面' },
  { text: '用了三天就坏了，非常失望。', label: '负面' },
];

test('a clean Chinese file has no finding (it once had too-short on every row: "22 characters, 1 word")', () => {
  const a = analyze(jsonl(...REVIEWS), 'reviews.jsonl');
  assert.deepEqual(a.findings.map((f) => `${f.rule}@${f.line}`), []);
});

test('too-short counts Chinese and Japanese in characters: 好评 and すごい are short, 质量不错 and 音がきれい are not', () => {
  assert.match(textFindings('好评', 'too-short')[0].message, /2 characters\); the minimum for Chinese and Japanese text is 4 characters/);
  assert.equal(textFindings('すごい', 'too-short').length, 1);
  assert.equal(textFindings('质量不错', 'too-short').length, 0);
  assert.equal(textFindings('音がきれい', 'too-short').length, 0);
  // Punctuation is not a character of the text's length; a brand name in Latin letters does not make it English.
  assert.equal(textFindings('好！！', 'too-short').length, 1);
  assert.equal(textFindings('iPhone很好用', 'too-short').length, 0);
  // The threshold is a setting.
  assert.equal(textFindings('质量不错', 'too-short', { thresholds: { minCjkChars: 6 } }).length, 1);
});

test('a short Chinese answer is a whole answer: 是的 in an instruction dataset is not too short', () => {
  const a = analyze(jsonl({ instruction: '这句话的情感是正面的吗？"东西很好用"', input: '', output: '是的' }), 'sft.jsonl');
  assert.deepEqual(ofRule(a, 'too-short'), []);
});

test('Thai is counted in the words Intl.Segmenter finds', () => {
  assert.equal(countSegmentedWords('สวัสดีครับ'), 2);
  assert.equal(textFindings('สวัสดีครับ ยินดีต้อนรับ', 'too-short').length, 0);
  assert.match(textFindings('ครับ', 'too-short')[0]?.message ?? '', /1 word/);
});

test('Chinese placeholders are placeholders: 无, 暂无, 待补充, 测试, ？？？', () => {
  for (const text of ['无', '暂无', '待补充', '测试', '？？？', '暂无内容。', '空']) {
    assert.equal(textFindings(text, 'placeholder').length, 1, text);
    assert.equal(textFindings(text, 'too-short').length, 0, `${text}: said once, as a placeholder`);
  }
  for (const text of ['无线耳机音质很好', '测试结果显示电池续航超过十小时', '空调制冷效果不错']) assert.equal(textFindings(text, 'placeholder').length, 0, text);
});

test('languageOf names the script family, with a brand name or a number left aside', () => {
  assert.equal(languageOf('这款手机的电池非常耐用'), 'Chinese');
  assert.equal(languageOf('iPhone 15 Pro 的电池很耐用'), 'Chinese');
  assert.equal(languageOf('今日はいい天気ですね'), 'Japanese');
  assert.equal(languageOf('東京タワーに行きました'), 'Japanese');
  assert.equal(languageOf('배터리가 오래가요'), 'Korean');
  assert.equal(languageOf('สวัสดีครับ'), 'Thai');
  assert.equal(languageOf('The battery lasts two days.'), 'Latin script');
  assert.equal(languageOf('Батарея держит два дня'), 'Cyrillic script');
  assert.equal(languageOf('12345 !!!'), undefined);
});

test('segmenting loses no character: every word is where it says, in order, and the gaps hold no letter', () => {
  const chars = fc.constantFrom(...'这款手机的电池非常耐用充一次电可以用两天今日はいい天気ですねสวัสดีครับabc 12，。!'.split(''));
  fc.assert(fc.property(fc.array(chars, { maxLength: 60 }).map((a) => a.join('')), (text) => {
    let at = 0;
    let rest = '';
    for (const { word, index } of segmentWords(text)) {
      assert.ok(index >= at, 'in order, not overlapping');
      assert.equal(text.slice(index, index + word.length), word);
      rest += text.slice(at, index);
      at = index + word.length;
    }
    rest += text.slice(at);
    assert.doesNotMatch(rest, /[\p{L}\p{N}]/u, `letters outside every word: ${JSON.stringify(rest)}`);
  }), { numRuns: 300, seed: 19 });
});

/** Text as a program that read UTF-8 bytes as GBK would show it. */
const readAsGbk = (text: string) => new TextDecoder('gbk').decode(new TextEncoder().encode(text));

test('mojibake: UTF-8 Chinese read as GBK is found and, when its bytes survive, repaired; 锟斤拷 is named as lost', () => {
  const [whole] = textFindings(readAsGbk('参数设置'), 'mojibake');
  assert.match(whole.message, /UTF-8 Chinese read as GBK: "鍙傛暟璁剧疆" reads back as "参数设置"/);
  const a = analyze(jsonl({ text: readAsGbk('参数设置'), label: 'x' }), 'd.jsonl', {}, true);
  assert.equal(ofRule(a, 'mojibake')[0].fix?.edits[0].newText, '"参数设置"');
  assert.equal(textFindings(readAsGbk('你好，世界。我们的产品很好'), 'mojibake')[0].message.includes('reads back as "你好，世界。我们的产品很…"'), true);
  // The same text after a private-use character of its GBK reading was dropped (as copying it does):
  // found, without a repair that would lose a character.
  const [lossy] = textFindings('浣犲ソ锛屼笘鐣屻€傛垜浠殑浜у搧寰堝ソ', 'mojibake');
  assert.match(lossy.message, /some bytes were lost/);
  const [lost] = textFindings('文件损坏了锟斤拷锟斤拷', 'mojibake');
  assert.match(lost.message, /characters lost when UTF-8 text was read as GBK/);
  // Ordinary Chinese with the rare characters the search starts from, and a euro price, are left alone.
  for (const text of ['浣熊很可爱', '涓涓细流汇成大海', '价格是100€，很便宜', ...REVIEWS.map((r) => r.text)]) assert.deepEqual(textFindings(text, 'mojibake'), [], text);
});

test('diversity counts Chinese words, not whole sentences: vocabulary, bigrams and top terms', () => {
  const texts = REVIEWS.map((r) => r.text);
  const d = computeDiversity(texts);
  // Six sentences were once 17 "words" (one per clause); Intl.Segmenter finds the words in them.
  assert.ok(d.tokens > 50, `${d.tokens} words`);
  assert.ok(d.vocabulary > 40 && d.vocabulary < d.tokens, `${d.vocabulary} distinct of ${d.tokens}`);
  assert.ok(d.distinctBigrams > 40);
  const terms = d.topTerms.map((t) => t.term);
  assert.ok(!terms.includes('的') && !terms.includes('了') && !terms.includes('很'), `function words left out: ${terms.join(' ')}`);
  assert.ok(terms.includes('质量') || terms.includes('电池') || terms.includes('非常失望') || terms.includes('失望'), terms.join(' '));
});

// ---- File-level rules of Chinese text: languages, widths, character systems ----------------------

const mixFile = (extra: { text: string; label: string }[]) => jsonl(...REVIEWS, ...REVIEWS.map((r) => ({ ...r, text: r.text.replace('。', '！') })), ...extra);

test('mixed-language: an English row in a Chinese file is named; a bilingual file gets no finding; the statistic counts rows per language', () => {
  const a = analyze(mixFile([{ text: 'The battery died after two days.', label: '负面' }]), 'd.jsonl');
  const [f] = ofRule(a, 'mixed-language');
  assert.equal(f.line, 13);
  assert.match(f.message, /written in Latin script where 92% of the file's rows are in Chinese/);
  assert.deepEqual(a.stats.languages.map((l) => [l.name, l.rows]), [['Chinese', 12], ['Latin script', 1]]);
  // Four English rows of thirteen: a bilingual file (the main language holds under 90%).
  const english = Array.from({ length: 4 }, (_, i) => ({ text: `Review ${i}: the battery lasts two full days.`, label: '正面' }));
  assert.deepEqual(ofRule(analyze(jsonl(...REVIEWS, ...REVIEWS.slice(0, 3), ...english), 'd.jsonl'), 'mixed-language'), []);
  // The share is a setting.
  assert.equal(ofRule(analyze(jsonl(...REVIEWS, ...REVIEWS.slice(0, 3), ...english), 'd.jsonl', { thresholds: { mixedLanguageMajority: 0.6 } }), 'mixed-language').length, 4);
});

test('width-mix: a row with half-width punctuation in a file of full-width is named, and its fix writes the file\'s width', () => {
  const odd = { text: '客服态度很差,问题一直没有解决!', label: '负面' };
  const digits = [{ text: '买了3个，送给家人，大家都喜欢。', label: '正面' }, { text: '第2次购买了，还是很满意。', label: '正面' }];
  const a = analyze(mixFile([odd, { text: '物流很快，第２天就到了。', label: '正面' }, ...digits]), 'd.jsonl', {}, true);
  const found = ofRule(a, 'width-mix');
  assert.deepEqual(found.map((f) => f.line), [13, 14]);
  assert.match(found[0].message, /half-width punctuation where the file's rows mostly use full-width/);
  assert.equal(found[0].fix?.edits[0].newText, JSON.stringify('客服态度很差，问题一直没有解决！'));
  assert.match(found[1].message, /full-width letters or digits where the file's rows mostly use half-width/);
  assert.equal(found[1].fix?.edits[0].newText, JSON.stringify('物流很快，第2天就到了。'));
  // ASCII inside a Chinese sentence that is not after a Han character stays (e.g., "(see 1)").
  assert.equal(ofRule(analyze(mixFile([{ text: '参考资料(see 1)很有用，推荐。', label: '正面' }]), 'd.jsonl', {}, true), 'width-mix')[0].fix?.edits[0].newText, JSON.stringify('参考资料（see 1)很有用，推荐。'));
  // A file that is consistent in either width has no finding.
  assert.deepEqual(ofRule(analyze(jsonl(...REVIEWS), 'd.jsonl'), 'width-mix'), []);
});

test('han-variant-mix: one note on a file mixing simplified and traditional rows, none on a simplified or a Japanese file', () => {
  const a = analyze(mixFile([{ text: '這款耳機的音質非常好，推薦購買。', label: '正面' }]), 'd.jsonl');
  const [f] = ofRule(a, 'han-variant-mix');
  assert.equal(f.line, 1);
  assert.match(f.message, /simplified \(12 rows\) and traditional Chinese characters \(1 row\); the traditional ones start at line 13/);
  assert.deepEqual(ofRule(analyze(mixFile([]), 'd.jsonl'), 'han-variant-mix'), []);
  const japanese = ['東京の書店で本を買いました。', '新しい車を見に行きました。', '魚の料理がとても美味しかった。', '駅前の店で時計を直しました。'].map((text) => ({ text, label: 'x' }));
  assert.deepEqual(ofRule(analyze(jsonl(...japanese, ...REVIEWS), 'd.jsonl', { thresholds: { mixedLanguageMajority: 0.5 } }), 'han-variant-mix'), []);
});

test('the editor\'s model agrees with a fresh analysis when an edit changes a row\'s language or width', async () => {
  const { IncrementalDataset, analyzeDataset, parseConfig } = await import('../../server/src/engine');
  const { config } = parseConfig({});
  const text0 = mixFile([{ text: '物流很快，第二天就到了。', label: '正面' }]);
  const model = new IncrementalDataset('d.jsonl', config, { fixes: true });
  model.setText(text0);
  model.analyze();
  let text = text0;
  const edits = [
    { line: 12, from: '物流很快，第二天就到了。', to: 'Delivery was quick.' },
    { line: 12, from: 'Delivery was quick.', to: '物流很快,第２天就到了!' },
    { line: 3, from: '客服态度很差，', to: '客服態度很差，' },
  ];
  for (const e of edits) {
    const lines = text.split('\n');
    const at = lines[e.line].indexOf(e.from);
    model.applyEdit({ start: { line: e.line, character: at }, end: { line: e.line, character: at + e.from.length }, text: e.to });
    lines[e.line] = lines[e.line].replace(e.from, e.to);
    text = lines.join('\n');
    assert.deepEqual(model.analyze(), analyzeDataset('d.jsonl', new TextEncoder().encode(text), config, { fixes: true }), JSON.stringify(e));
  }
});

test('the languages are in the report (header and Markdown) and the CodeLens; an English file shows none', async () => {
  const { buildReport, renderReportMarkdown } = await import('../../server/src/engine');
  const { codeLenses } = await import('../../server/src/lsp/codeLens');
  const a = analyze(mixFile([{ text: 'The battery died after two days.', label: '负面' }]), 'd.jsonl');
  const report = buildReport(a);
  assert.deepEqual(report.header.languages.map((l) => l.name), ['Chinese', 'Latin script']);
  assert.match(renderReportMarkdown(report), /\| Languages \| Chinese 92% · Latin script 7\.7% \|/);
  assert.match(codeLenses({ uri: 'file:///d.jsonl', analysis: a, version: 1 })[0].command!.title, /· 2 labels · Chinese 92%, Latin script 8% ·/);
  const english = analyze(jsonl({ text: 'The battery lasts two days.', label: 'pos' }, { text: 'Broke after a week.', label: 'neg' }), 'e.jsonl');
  assert.doesNotMatch(codeLenses({ uri: 'file:///e.jsonl', analysis: english, version: 1 })[0].command!.title, /Latin/);
  assert.doesNotMatch(renderReportMarkdown(buildReport(english)), /Languages/);
});

test('near-duplicates of Chinese rows are found by characters: a paragraph with a few characters changed in several clauses', () => {
  const paragraph = '这款手机的电池非常耐用，充一次电可以用两天，屏幕显示效果很清晰，颜色也很鲜艳，拍照效果也不错，夜景模式尤其好用，价格也比较实惠，总体来说非常满意，推荐大家购买。';
  // One character changed in two of the nine clauses: most five-clause "word" shingles differ.
  const edited = paragraph.replace('两天', '三天').replace('鲜艳', '鲜亮');
  const others = REVIEWS.map((r) => r.text);
  const a = analyze(jsonl(...[paragraph, ...others, edited].map((text) => ({ text, label: '正面' }))), 'd.jsonl');
  const near = ofRule(a, 'near-duplicate');
  assert.equal(near.length, 1, JSON.stringify(a.findings.map((f) => f.rule)));
  assert.equal(near[0].line, 8);
  assert.equal(near[0].related?.[0].line, 1);
  assert.ok((near[0].similarity ?? 0) >= 0.8, `similarity ${near[0].similarity}`);
});

test('emoji are no script: a Chinese or English row with emoji keeps its language, and 。 alone says nothing of widths', async () => {
  const { languageOf, rowTraits, TRAIT } = await import('../../server/src/engine/text/scripts');
  assert.equal(languageOf('好的😀😀😀'), 'Chinese');
  assert.equal(languageOf('Great job 👍👍👍👍'), 'Latin script');
  assert.equal(rowTraits('我们走吧。', () => 0) & (TRAIT.FULL_PUNCT | TRAIT.HALF_PUNCT), 0);
});
