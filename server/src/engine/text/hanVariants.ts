/**
 * Simplified and traditional Chinese characters that tell the two apart: common characters whose
 * simplified form is never written in traditional text and the reverse (pairs such as 们/們, 这/這,
 * 说/說). Characters both systems share, and simplified forms that are also traditional characters
 * of their own (后, 里, 面, 干, 发 aside from 發/髮…), are left out, so a text counts as one system only
 * on characters that prove it. Japanese keeps many traditional forms (書, 馬, 東): callers ask this of
 * Chinese text only.
 */

const PAIRS =
  '们們这這个個来來时時说說为為国國会會对對过過还還进進学學经經长長开開现現问問见見关關东東车車书書头頭马馬门門风風' +
  '电電话話语語读讀写寫听聽买買卖賣钱錢银銀间間体體边邊点點热熱乐樂认認识識让讓请請谢謝爱愛气氣万萬与與业業从從优優' +
  '传傳价價儿兒兴興农農决決况況则則刚剛动動务務区區华華单單卫衛厂廠历歷县縣参參双雙变變号號叶葉吗嗎园園图圖场場坏壞' +
  '块塊声聲处處备備夺奪奋奮妈媽孙孫实實宝寶审審宽寬寻尋导導层層岁歲岛島师師带帶帮幫广廣庆慶应應张張强強归歸录錄总總' +
  '恶惡惊驚战戰扩擴执執护護报報担擔拥擁择擇换換损損据據无無旧舊显顯术術机機杀殺条條极極树樹样樣桥橋检檢楼樓欢歡毕畢' +
  '汇匯汉漢汤湯没沒沟溝济濟浅淺测測温溫湾灣灯燈灵靈烟煙爷爺状狀独獨猪豬环環产產画畫疗療盐鹽监監盖蓋码碼礼禮离離种種' +
  '积積称稱稳穩穷窮竞競笔筆类類粮糧紧緊红紅约約级級纪紀纸紙线線练練组組细細结結给給绝絕统統继繼续續维維综綜网網罗羅' +
  '职職联聯胜勝脑腦脚腳艺藝节節药藥获獲虽雖补補装裝规規视視览覽觉覺观觀计計订訂讨討训訓议議记記讲講许許论論设設访訪' +
  '证證评評试試诗詩该該详詳误誤课課调調谁誰谈談货貨质質购購费費贴貼贵貴资資赛賽赶趕轮輪软軟较較载載辆輛达達运運远遠' +
  '连連选選邮郵铁鐵错錯键鍵闭閉闻聞阳陽队隊际際陆陸险險随隨难難雾霧静靜页頁项項顺順须須顾顧预預领領题題颜顏飞飛饭飯' +
  '馆館验驗鱼魚鸡雞龙龍';

/** Per code unit from U+4E00: 1 for a simplified-only character, 2 for a traditional-only one (a table: a Chinese row is looked up character by character). */
const FIRST = 0x4e00;
const SYSTEM = new Uint8Array(0xa000 - FIRST);
for (let i = 0; i < PAIRS.length; i += 2) {
  SYSTEM[PAIRS.charCodeAt(i) - FIRST] = 1;
  SYSTEM[PAIRS.charCodeAt(i + 1) - FIRST] = 2;
}

/** Which system a Chinese text's characters prove: bit 1 simplified-only characters, bit 2 traditional-only ones. */
export function hanVariants(text: string): number {
  let found = 0;
  for (let i = 0; i < text.length && found !== 3; i++) {
    const c = text.charCodeAt(i) - FIRST;
    if (c >= 0 && c < SYSTEM.length) found |= SYSTEM[c];
  }
  return found;
}

/** The pairs, for tests (simplified, traditional). */
export function hanVariantPairs(): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < PAIRS.length; i += 2) out.push([PAIRS[i], PAIRS[i + 1]]);
  return out;
}
