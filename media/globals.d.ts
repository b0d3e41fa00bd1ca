/** Globals of the report page: Chart.js's UMD bundle, and the API VS Code gives a webview (absent in a browser). */
declare const Chart: typeof import('chart.js').Chart;

interface VsCodeWebviewApi {
  postMessage(message: import('../server/src/protocol').ReportPageMessage): void;
  getState(): import('../server/src/protocol').ReportPageState | undefined;
  setState(state: import('../server/src/protocol').ReportPageState): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;
