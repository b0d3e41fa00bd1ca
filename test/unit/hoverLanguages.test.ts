import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../server/src/lsp/hover';
import { translator } from '../../server/src/host/l10n';
import { analyze, jsonl } from './helpers';

/** The file's languages in the hover (#19): on line 1 and on a row said to be in another language, as the CodeLens has them. */

const rows = [
  { text: '这家餐厅的菜很好吃，服务也很周到。', label: '正面' },
  { text: '快递太慢了，等了整整一个星期才到。', label: '负面' },
  { text: '价格合理，环境干净，下次还会再来。', label: '正面' },
  { text: '屏幕很清楚，电池也很耐用，推荐购买。', label: '正面' },
  { text: '客服态度很差，问题一直没有解决。', label: '负面' },
  { text: '包装破损，里面的东西也坏了。', label: '负面' },
  { text: '衣服的颜色和图片上一样，很满意。', label: '正面' },
  { text: '鞋子穿了两天就开胶了，质量太差。', label: '负面' },
  { text: '物流很快，第二天就收到了货。', label: '正面' },
  { text: '味道一般，分量也不多，不会再买。', label: '负面' },
  { text: '老师讲得很清楚，孩子很喜欢上课。', label: '正面' },
  { text: '房间很小，隔音也不好，晚上睡不着。', label: '负面' },
  { text: 'The screen is sharp and the battery lasts all day.', label: '正面' },
];
const text = jsonl(...rows);
const doc = { uri: 'file:///w/zh.jsonl', analysis: analyze(text), version: 1 };
const at = (line: number, tr = translator('en')) => hover(doc, { textDocument: { uri: doc.uri }, position: { line, character: 0 } }, text.split('\n')[line], tr)?.contents as { value: string } | undefined;

test('hover: line 1 of a Chinese file says the file\'s languages, in the client\'s language', () => {
  assert.match(at(0)!.value, /^File languages: Chinese 92% · Latin script 7.7%$/m);
  assert.match(at(0, translator('zh-cn'))!.value, /^文件语言：中文 92% · 拉丁字母 7.7%$/m);
});

test('hover: the English row of a Chinese file (mixed-language) says the file\'s languages; an ordinary row does not', () => {
  assert.ok(doc.analysis.findings.some((f) => f.rule === 'mixed-language' && f.line === 13), JSON.stringify(doc.analysis.findings.map((f) => [f.rule, f.line])));
  assert.match(at(12, translator('zh-cn'))!.value, /文件语言：中文 92% · 拉丁字母 7.7%/);
  assert.doesNotMatch(at(2)!.value, /File languages/);
});

test('hover: a file in Latin script alone says nothing of languages', () => {
  const en = jsonl({ text: 'a perfectly ordinary review of the film', label: 'pos' }, { text: 'another ordinary review', label: 'neg' });
  const d = { uri: 'file:///w/en.jsonl', analysis: analyze(en), version: 1 };
  const value = (hover(d, { textDocument: { uri: d.uri }, position: { line: 0, character: 0 } }, en.split('\n')[0])!.contents as { value: string }).value;
  assert.doesNotMatch(value, /languages/);
});
