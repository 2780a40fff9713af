/** connect-timeout's words, in English and Vietnamese (grader/i18n.ts). */
import { catalogue } from '../../i18n.ts';

const en = {
  title: 'Connect with a timeout',
  part: 'Part 10 — Timeouts at every layer',

  // Scenarios
  scReachable: 'reachable echo peer, generous connectMs',
  scReachableShort: 'reachable echo peer, socket used past connectMs',
  scDropSyn: 'SYNs silently dropped by a firewall',
  scRejectReset: 'SYNs rejected with a TCP reset',
  scRejectIcmp: 'SYNs answered with ICMP host-unreachable',

  // Check titles
  tConnects: 'resolves a connected socket that carries data',
  tOutlives: 'the connected socket keeps working after connectMs has passed',
  tAtConnectMs: 'gives up when connectMs has passed, not before and not much after',
  tReadsAsTimeout: 'the timeout error says it is a timeout',
  tDestroys: 'after the timeout, no more SYNs leave the learner host',
  tNoTimer: 'on success, no timer is left to keep the process alive',
  tRefused: 'REJECT with TCP reset: fails fast with ECONNREFUSED',
  tUnreachable: 'ICMP host-unreachable: fails fast with EHOSTUNREACH',

  // What the call did
  rejectedAfter: (p: { elapsed: string; error: string }) => `the promise rejected after ${p.elapsed} with ${p.error}`,
  resolved: 'the promise resolved',
  pending: 'the promise was still pending when we stopped watching',
  neverSettled: 'the call never settled',

  // What the echo peer saw
  peerNoConnection: (port: number) =>
    `your code reported a connected socket, but the echo peer at ${port} saw no connection from the learner host: resolve with a socket that net.connect() really opened to host and port.`,
  peerNoBytes: (bytes: string) => `the echo peer accepted your connection but never received our bytes (${bytes}): resolve with that connected socket itself.`,

  // Fast failures
  notFast: (p: { fault: string; outcome: string; code: string }) =>
    `with ${p.fault} on the router, ${p.outcome}. Expected a fast rejection with Node's own ${p.code} error — ` +
    `listen for the socket's 'error' event and reject with that error object unchanged.`,
  slowError: (p: { code: string; elapsed: string }) =>
    `the ${p.code} error took ${p.elapsed} to reach the caller; the router answered at once. ` +
    `Reject as soon as the socket emits 'error' instead of waiting for your timer.`,
  fastOk: (p: { elapsed: string; code: string }) => `rejected after ${p.elapsed} with ${p.code}`,
  faultReset: 'REJECT with tcp reset',
  faultIcmp: 'ICMP host-unreachable',

  // connects-and-carries-data
  reachableBut: (outcome: string) => `the peer was reachable, but ${outcome}. Resolve with the socket once it emits 'connect'.`,
  notSocket: 'the promise resolved with something that is not a net.Socket: resolve with the socket itself.',
  stillConnecting: "the promise resolved before the connection was made: wait for the 'connect' event.",
  noEcho: 'the socket you resolved did not carry data: our bytes were not echoed back.',
  connectsOk: (port: number) => `resolved a connected socket; the peer on port ${port} received our bytes and they came back`,

  // socket-outlives-connect-ms
  withReachable: (outcome: string) => `with a reachable peer, ${outcome}.`,
  diedAtConnectMs: (connectMs: number) =>
    `the socket worked, then died once connectMs (${connectMs} ms) had passed. The connect timeout must end ` +
    `when the connection is made: clear your timer (or the socket's idle timeout) on 'connect'.`,
  noData: 'the resolved socket did not carry data.',
  outlivesOk: (connectMs: number) => `the peer still received and echoed our bytes more than connectMs (${connectMs} ms) after the call`,

  // rejects-at-connect-ms
  neverRejected: (outcome: string) =>
    `the firewall dropped every SYN and ${outcome} — the kernel alone retries for minutes. ` +
    `Start a timer for connectMs when you connect and reject when it fires.`,
  tooEarly: (p: { elapsed: string; connectMs: number }) =>
    `rejected after ${p.elapsed}, before connectMs (${p.connectMs} ms) had passed: give the connection the whole connectMs.`,
  tooLate: (p: { elapsed: string; connectMs: number }) => `rejected after ${p.elapsed}, long after connectMs (${p.connectMs} ms).`,
  onTime: (p: { elapsed: string; connectMs: number }) => `rejected after ${p.elapsed} (connectMs ${p.connectMs} ms)`,

  // timeout-error-reads-as-timeout
  noTimeoutError: (outcome: string) => `the SYNs were dropped and ${outcome}, so there was no timeout error to read.`,
  notATimeout: (error: string) =>
    `the rejection was ${error}. Callers tell timeouts from refusals by the error: ` +
    `give it code 'ETIMEDOUT', name 'TimeoutError', or a message that says "timeout".`,
  rejectedWith: (error: string) => `rejected with ${error}`,

  // destroys-socket-on-timeout
  noSyn: 'no SYN crossed the router: connectWithTimeout never opened a connection.',
  synsButNoRejection: (p: { syns: number; outcome: string }) => `${p.syns} SYN(s) crossed the router and ${p.outcome}.`,
  kept: (p: { at: string; late: number; last: string }) =>
    `after rejecting at ${p.at} your socket kept connecting: ${p.late} more SYN(s) crossed the router ` +
    `(the last ${p.last} after the rejection). Destroy the socket when the timer fires.`,
  destroyedOk: (syns: number) => `${syns} SYN(s) before the rejection, none after`,

  // no-timer-left-behind
  nothingToClean: (outcome: string) => `with a reachable peer, ${outcome}, so there was nothing to clean up after.`,
  noRealSocket: (peer: string) => `the echo peer saw no connection from the learner host, so no real socket was opened and closed: ${peer}`,
  lingered: (p: { limit: string; connectMs: string }) =>
    `after the socket was destroyed the process stayed alive more than ${p.limit} (connectMs was ${p.connectMs}): ` +
    `a timer is still pending. clearTimeout() it once the socket connects.`,
  exitedOk: (linger: string) => `the process exited ${linger} after the socket closed`,
};

const vi: typeof en = {
  title: 'Connect có timeout',
  part: 'Phần 10 — Timeout ở mọi tầng',

  scReachable: 'echo peer kết nối được, connectMs rộng rãi',
  scReachableShort: 'echo peer kết nối được, socket còn được dùng sau connectMs',
  scDropSyn: 'firewall lặng lẽ drop các SYN',
  scRejectReset: 'SYN bị reject bằng TCP reset',
  scRejectIcmp: 'SYN bị trả lời bằng ICMP host-unreachable',

  tConnects: 'resolve một socket đã kết nối và truyền được dữ liệu',
  tOutlives: 'socket đã kết nối vẫn chạy tốt sau khi connectMs trôi qua',
  tAtConnectMs: 'bỏ cuộc khi hết connectMs, không sớm hơn và không trễ quá nhiều',
  tReadsAsTimeout: 'error của timeout cho biết đó là timeout',
  tDestroys: 'sau timeout, không còn SYN nào rời máy learner',
  tNoTimer: 'khi thành công, không để lại timer nào giữ process sống',
  tRefused: 'REJECT bằng TCP reset: fail nhanh với ECONNREFUSED',
  tUnreachable: 'ICMP host-unreachable: fail nhanh với EHOSTUNREACH',

  rejectedAfter: (p) => `promise bị reject sau ${p.elapsed} với ${p.error}`,
  resolved: 'promise đã resolve',
  pending: 'promise vẫn còn pending khi chúng tôi ngừng theo dõi',
  neverSettled: 'lời gọi không bao giờ kết thúc',

  peerNoConnection: (port) =>
    `code của bạn báo đã có socket kết nối, nhưng echo peer ở port ${port} không thấy kết nối nào từ máy learner: hãy resolve bằng socket mà net.connect() thật sự mở tới host và port.`,
  peerNoBytes: (bytes) => `echo peer đã accept kết nối của bạn nhưng không nhận được các byte của chúng tôi (${bytes}): hãy resolve bằng chính socket đã kết nối đó.`,

  notFast: (p) =>
    `với ${p.fault} trên router, ${p.outcome}. Cần reject nhanh với error ${p.code} của chính Node — ` +
    `hãy nghe event 'error' của socket và reject với đúng object error đó, không đổi gì.`,
  slowError: (p) =>
    `error ${p.code} mất ${p.elapsed} mới tới được nơi gọi; router đã trả lời ngay. ` +
    `Hãy reject ngay khi socket phát 'error' thay vì chờ timer của bạn.`,
  fastOk: (p) => `reject sau ${p.elapsed} với ${p.code}`,
  faultReset: 'REJECT bằng tcp reset',
  faultIcmp: 'ICMP host-unreachable',

  reachableBut: (outcome) => `peer kết nối được, nhưng ${outcome}. Hãy resolve bằng socket khi nó phát 'connect'.`,
  notSocket: 'promise resolve với một thứ không phải net.Socket: hãy resolve bằng chính socket.',
  stillConnecting: "promise resolve trước khi kết nối xong: hãy chờ event 'connect'.",
  noEcho: 'socket bạn resolve không truyền được dữ liệu: các byte của chúng tôi không được echo lại.',
  connectsOk: (port) => `đã resolve một socket đã kết nối; peer ở port ${port} nhận được các byte của chúng tôi và chúng đã quay về`,

  withReachable: (outcome) => `với một peer kết nối được, ${outcome}.`,
  diedAtConnectMs: (connectMs) =>
    `socket chạy được, rồi chết khi connectMs (${connectMs} ms) trôi qua. Timeout kết nối phải kết thúc ` +
    `khi kết nối được thiết lập: hãy clear timer của bạn (hoặc idle timeout của socket) khi có 'connect'.`,
  noData: 'socket đã resolve không truyền được dữ liệu.',
  outlivesOk: (connectMs) => `peer vẫn nhận và echo các byte của chúng tôi hơn connectMs (${connectMs} ms) sau lời gọi`,

  neverRejected: (outcome) =>
    `firewall đã drop mọi SYN và ${outcome} — riêng kernel sẽ retry hàng phút. ` +
    `Hãy bắt đầu một timer connectMs khi kết nối và reject khi nó kích hoạt.`,
  tooEarly: (p) => `reject sau ${p.elapsed}, trước khi connectMs (${p.connectMs} ms) trôi qua: hãy cho kết nối trọn connectMs.`,
  tooLate: (p) => `reject sau ${p.elapsed}, quá lâu sau connectMs (${p.connectMs} ms).`,
  onTime: (p) => `reject sau ${p.elapsed} (connectMs ${p.connectMs} ms)`,

  noTimeoutError: (outcome) => `các SYN bị drop và ${outcome}, nên không có error timeout nào để đọc.`,
  notATimeout: (error) =>
    `lần reject là ${error}. Nơi gọi phân biệt timeout với bị từ chối nhờ error: ` +
    `hãy cho nó code 'ETIMEDOUT', name 'TimeoutError', hoặc message có chữ "timeout".`,
  rejectedWith: (error) => `reject với ${error}`,

  noSyn: 'không SYN nào đi qua router: connectWithTimeout chưa hề mở kết nối.',
  synsButNoRejection: (p) => `${p.syns} SYN đã đi qua router và ${p.outcome}.`,
  kept: (p) =>
    `sau khi reject lúc ${p.at}, socket của bạn vẫn tiếp tục kết nối: thêm ${p.late} SYN đi qua router ` +
    `(cái cuối ${p.last} sau lần reject). Hãy destroy socket khi timer kích hoạt.`,
  destroyedOk: (syns) => `${syns} SYN trước lần reject, không cái nào sau đó`,

  nothingToClean: (outcome) => `với một peer kết nối được, ${outcome}, nên không có gì để dọn dẹp.`,
  noRealSocket: (peer) => `echo peer không thấy kết nối nào từ máy learner, nên chưa có socket thật nào được mở rồi đóng: ${peer}`,
  lingered: (p) =>
    `sau khi socket bị destroy, process vẫn sống hơn ${p.limit} (connectMs là ${p.connectMs}): ` +
    `vẫn còn một timer đang chờ. Hãy clearTimeout() nó khi socket kết nối xong.`,
  exitedOk: (linger) => `process thoát ${linger} sau khi socket đóng`,
};

export const m = catalogue(en, vi);
