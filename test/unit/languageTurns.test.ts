import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDataset, DEFAULT_CONFIG, IncrementalDataset } from '../../server/src/engine';
import { analyze, jsonl, ofRule } from './helpers';

/**
 * width-mix and mixed-language on instruction and multi-turn chat rows (#19): a row's language and
 * widths are told from its last answer, so the finding's range and its fix are on that turn, not on
 * the row's first text.
 */

const user = (content: string) => ({ role: 'user', content });
const assistant = (content: string) => ({ role: 'assistant', content });

/** Chat rows in Chinese with full-width punctuation throughout; `extra` rows are added at the end. */
function chatFile(...extra: unknown[]): string {
  const turns = [
    ['这家店几点开门？', '早上九点开门，晚上十点关门。'],
    ['附近有停车场吗？', '有的，商场地下有两层停车场。'],
    ['可以带宠物进去吗？', '小型宠物可以，需要放在笼子里。'],
    ['有没有儿童游乐区？', '三楼有一个儿童游乐区，周末人比较多。'],
    ['能用信用卡付款吗？', '可以，支持各大银行的信用卡。'],
    ['有免费无线网络吗？', '有的，密码贴在收银台旁边。'],
    ['周末需要排队吗？', '周末中午人多，建议提前预约。'],
    ['可以开发票吗？', '可以，结账时告诉收银员就行。'],
    ['有素食的菜吗？', '菜单最后一页都是素食，种类不少。'],
    ['可以订包间吗？', '可以，包间最少要六个人。'],
  ];
  return jsonl(...turns.map(([q, a]) => ({ messages: [user(q), assistant(a)] })), ...extra);
}

/** The JSON text of a row's field path as it stands in the row's line (to check a range lands on it). */
function rangeText(file: string, f: { line: number; column: number; endLine: number; endColumn: number }): string {
  const line = file.split('\n')[f.line - 1];
  assert.equal(f.endLine, f.line);
  return line.slice(f.column - 1, f.endColumn - 1);
}

test('width-mix on a multi-turn chat row: the range is on the last answer (where the half-width punctuation is), and its fix normalises that turn', () => {
  const row = { messages: [user('请问退货要多久？'), assistant('一般三到五个工作日。'), user('运费谁出？'), assistant('质量问题我们出运费,其他情况您出运费!')] };
  const file = chatFile(row);
  const a = analyze(file, 'chat.jsonl', {}, true);
  const found = ofRule(a, 'width-mix');
  assert.equal(found.length, 1, JSON.stringify(a.findings.map((f) => [f.rule, f.line, f.message])));
  assert.equal(found[0].line, 11);
  assert.equal(rangeText(file, found[0]), JSON.stringify('质量问题我们出运费,其他情况您出运费!'));
  const edits = found[0].fix?.edits;
  assert.ok(edits?.length === 1, 'a fix on the chat row');
  assert.equal(edits[0].newText, JSON.stringify('质量问题我们出运费，其他情况您出运费！'));
  assert.equal(rangeText(file, edits[0]), JSON.stringify('质量问题我们出运费,其他情况您出运费!'), 'the fix replaces the last answer, not the first turn');
});

test('mixed-language on a multi-turn chat row: the range is on the English answer, not on the Chinese question before it', () => {
  const row = { messages: [user('请介绍一下你们的会员制度。'), assistant('会员分为银卡和金卡两种。'), user('金卡有什么好处？'), assistant('Gold members get free delivery and a birthday gift every year.')] };
  const file = chatFile(row);
  const found = ofRule(analyze(file, 'chat.jsonl'), 'mixed-language');
  assert.equal(found.length, 1);
  assert.equal(found[0].line, 11);
  assert.match(found[0].message, /^This row is written in Latin script where \d+% of the file's rows are in Chinese$/);
  assert.equal(rangeText(file, found[0]), JSON.stringify('Gold members get free delivery and a birthday gift every year.'));
});

test('width-mix on an instruction row: the range and the fix are on the output', () => {
  const rows = [
    { instruction: '把下面的句子翻译成英文。', input: '今天天气很好。', output: 'The weather is nice today.' },
    ...['总结这段话的意思。', '给这篇文章起个标题。', '解释这个成语的含义。', '改写这句话，让它更正式。', '列出三个相关的关键词。', '判断这句话的情感倾向。', '把这段话缩短到二十个字以内。', '找出句子中的错别字。']
      .map((instruction, i) => ({ instruction, input: `第${'一二三四五六七八'[i]}段材料的内容。`, output: `这是第${'一二三四五六七八'[i]}个回答，内容完整，表达清楚。` })),
    { instruction: '用一句话介绍北京。', input: '', output: '北京是中国的首都,有很多名胜古迹!' },
  ];
  const file = jsonl(...rows);
  const a = analyze(file, 'inst.jsonl', {}, true);
  const found = ofRule(a, 'width-mix');
  assert.equal(found.length, 1, JSON.stringify(a.findings.map((f) => [f.rule, f.line, f.message])));
  assert.equal(found[0].line, 10);
  assert.equal(rangeText(file, found[0]), JSON.stringify('北京是中国的首都,有很多名胜古迹!'));
  assert.equal(found[0].fix?.edits[0].newText, JSON.stringify('北京是中国的首都，有很多名胜古迹！'));
});

test('the editor\'s model agrees with a fresh analysis on the chat rows\' width-mix and mixed-language (range and fix)', () => {
  const config = DEFAULT_CONFIG;
  const text = chatFile(
    { messages: [user('请问退货要多久？'), assistant('一般三到五个工作日。'), user('运费谁出？'), assistant('质量问题我们出运费,其他情况您出运费!')] },
    { messages: [user('金卡有什么好处？'), assistant('会员分为银卡和金卡两种。'), user('还有呢？'), assistant('Gold members get free delivery and a birthday gift every year.')] },
  );
  const model = new IncrementalDataset('d.jsonl', config, { fixes: true });
  model.setText(text);
  const fresh = analyzeDataset('d.jsonl', new TextEncoder().encode(text), config, { fixes: true });
  assert.deepEqual(model.analyze(), fresh);
  assert.equal(ofRule(fresh, 'width-mix').length, 1);
  assert.equal(ofRule(fresh, 'mixed-language').length, 1);
});
