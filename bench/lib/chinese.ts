/**
 * A generated Chinese classification file for the `chinese` bench section (#19): reviews and questions
 * built from common words into sentences (subject, adverb, verb, object, a second clause), full-width
 * punctuation, five labels as imbalanced as the English generator's. Like that file it carries a little
 * of what check finds (about 0.8% exact duplicates, 0.3% placeholders, 0.3% mobile numbers, 0.3% rows
 * with half-width punctuation), so both files give the rules some work. Deterministic per seed.
 */
import * as fs from "node:fs";
import { Rng } from "./rng";

const SUBJECTS = ["这家店", "我们", "老板", "服务员", "快递员", "这款手机", "客服", "房间", "这本书", "孩子", "老师", "朋友", "这部电影", "酒店", "餐厅", "商家", "物流", "这件衣服", "耳机", "电脑", "价格", "质量", "包装", "味道", "环境", "屏幕", "电池", "司机", "医生", "课程"];
const ADVERBS = ["非常", "特别", "真的", "比较", "有点", "一直", "已经", "总是", "几乎", "确实", "还是", "完全", "马上", "终于", "竟然"];
const VERBS = ["喜欢", "推荐", "觉得", "发现", "需要", "收到", "使用", "解决", "处理", "提供", "购买", "介绍", "回答", "检查", "准备", "安排", "更换", "退回", "等待", "联系"];
const OBJECTS = ["这个问题", "售后服务", "新的订单", "整个流程", "配送时间", "产品说明", "退款申请", "优惠活动", "会员积分", "安装方法", "使用体验", "外观设计", "操作步骤", "运行速度", "声音效果", "颜色搭配", "尺寸大小", "包装盒子", "发票信息", "预约时间"];
const ADJECTIVES = ["很好", "不错", "一般", "太差", "很快", "很慢", "干净", "方便", "麻烦", "便宜", "贵了", "清楚", "耐用", "舒服", "满意", "失望", "合理", "热情", "专业", "简单"];
const CONNECTORS = ["但是", "而且", "所以", "不过", "因为", "虽然", "另外", "总之", "同时", "其实"];
const ENDINGS = ["。", "。", "。", "！", "？", "……"];
const QUESTIONS = ["请问", "想问一下", "有没有人知道", "谁能告诉我"];
const PLACEHOLDERS = ["无", "暂无", "测试", "待补充", "空"];
const LABELS = ["中性", "正面", "负面", "问题", "垃圾"] as const;
const LABEL_SHARES = [0.55, 0.25, 0.12, 0.06, 0.02];

function sentence(rng: Rng, question: boolean): string {
  const clause = () => `${rng.pick(SUBJECTS)}${rng.pick(ADVERBS)}${rng.chance(0.5) ? `${rng.pick(VERBS)}${rng.pick(OBJECTS)}` : rng.pick(ADJECTIVES)}`;
  let s = question ? `${rng.pick(QUESTIONS)}，${clause()}` : clause();
  const more = rng.range(0, 3);
  for (let i = 0; i < more; i++) s += `，${rng.pick(CONNECTORS)}${clause()}`;
  return s + (question ? "？" : rng.pick(ENDINGS));
}

/** One row's text: 8% short (1 sentence), most 2–6 sentences, 8% long (up to ~20). */
function text(rng: Rng, question: boolean): string {
  const r = rng.next();
  const sentences = r < 0.08 ? 1 : r < 0.92 ? rng.range(2, 6) : rng.range(8, 20);
  let s = "";
  for (let i = 0; i < sentences; i++) s += sentence(rng, question && i === 0);
  return s;
}

function label(rng: Rng): number {
  let r = rng.next();
  for (let i = 0; i < LABEL_SHARES.length; i++) {
    r -= LABEL_SHARES[i];
    if (r < 0) return i;
  }
  return 0;
}

/** Writes `rows` rows of Chinese classification JSONL to `out`; its size in bytes. */
export function generateChinese(out: string, rows: number, seed: number): number {
  const rng = new Rng(seed);
  const fd = fs.openSync(`${out}.tmp`, "w");
  const kept: string[] = [];
  let bytes = 0;
  let buffer = "";
  for (let i = 0; i < rows; i++) {
    const l = label(rng);
    let t: string;
    const fault = rng.next();
    if (fault < 0.008 && kept.length) t = rng.pick(kept);
    else if (fault < 0.011) t = rng.pick(PLACEHOLDERS);
    else if (fault < 0.014) t = `${text(rng, false)}我的电话是1${rng.range(3, 9)}${String(rng.range(0, 999_999_999)).padStart(9, "0")}，有事联系。`;
    else if (fault < 0.017) t = text(rng, l === 3).replace(/，/g, ",").replace(/！/g, "!");
    else t = text(rng, l === 3);
    if (kept.length < 1000 && rng.chance(0.01)) kept.push(t);
    const line = `${JSON.stringify({ text: t, label: LABELS[l] })}\n`;
    buffer += line;
    bytes += Buffer.byteLength(line);
    if (buffer.length > 1 << 16) {
      fs.writeSync(fd, buffer);
      buffer = "";
    }
  }
  fs.writeSync(fd, buffer);
  fs.closeSync(fd);
  fs.renameSync(`${out}.tmp`, out);
  return bytes;
}

/** Copies whole lines of `from` to `out` until `bytes` are reached (an English file of the Chinese file's size); the bytes and rows written. */
export function prefixOfSize(from: string, out: string, bytes: number): { bytes: number; rows: number } {
  const data = fs.readFileSync(from);
  let end = 0;
  let rows = 0;
  while (end < bytes) {
    const nl = data.indexOf(10, end);
    if (nl < 0) throw new Error(`${from} has only ${data.length} bytes; ${bytes} are needed`);
    end = nl + 1;
    rows++;
  }
  fs.writeFileSync(`${out}.tmp`, data.subarray(0, end));
  fs.renameSync(`${out}.tmp`, out);
  return { bytes: end, rows };
}
