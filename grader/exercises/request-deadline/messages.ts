/** request-deadline's words, in English and Vietnamese (grader/i18n.ts). */
import { catalogue } from '../../i18n.ts';

const en = {
  title: 'A GET with connect, idle and overall deadlines',
  part: 'Part 10 — Timeouts at every layer',

  // Scenarios
  scOk: 'a complete 200 response, body in a few chunks',
  scNotFound: 'a complete 404 response',
  scSteady: 'a slow but steady response: a chunk every idleMs / 2',
  scDropSyn: 'SYNs silently dropped by a firewall',
  scSilent: 'connected, the request is read, no byte of response',
  scTrickle: 'headers, then one body byte every idleMs / 2, forever',

  // Check titles
  tResolves: 'resolves the status and the whole body of a complete response',
  tResolves404: 'a 404 is a complete response: it resolves',
  tSteady: 'a slow but steady response, complete before totalMs, resolves',
  tConnect: 'SYNs dropped: rejects when connectMs has passed since the call',
  tIdle: 'no byte of response: rejects idleMs after the request was sent',
  tTotal: 'a body that trickles forever: rejects totalMs after the call',
  tReadsAsTimeout: 'every deadline rejects with an error that reads as a timeout',
  tNoSyn: 'after the connect deadline, no more SYNs leave the learner host',
  tClosesIdle: 'after the idle timeout, the peer sees the connection closed',
  tClosesTotal: 'after the overall deadline, the peer sees the connection closed',

  // What the call did
  rejectedAfter: (p: { elapsed: string; error: string }) => `the promise rejected after ${p.elapsed} with ${p.error}`,
  resolved: (p: { status: string; body: string }) => `the promise resolved (status ${p.status}, ${p.body})`,
  noStringBody: 'no string body',
  bodyOf: (length: number) => `${length}-character body`,
  pending: 'the promise was still pending when we stopped watching',
  neverSettled: 'the call never settled',

  // What the HTTP peer received
  peerNoConnection: (p: { port: number; outcome: string }) =>
    `the HTTP peer at port ${p.port} saw no connection from your host (${p.outcome}): send the request to the URL you were given.`,
  peerNoRequestHead:
    'the HTTP peer accepted your connection but no complete request head arrived: send "GET <path> HTTP/1.1" and the headers, ending with an empty line.',
  peerWrongRequest: (p: { method: string; path: string; expected: string }) =>
    `the HTTP peer received "${p.method} ${p.path}", not "GET ${p.expected}": request the URL's path with GET.`,
  peerNeverReceived: 'the peer never received the request.',

  // A complete response resolves
  what200: '200 in chunks',
  what404: '404',
  whatSteady: (p: { every: string; idleMs: string; totalMs: string }) => `a chunk every ${p.every} (idleMs ${p.idleMs}, totalMs ${p.totalMs})`,
  notResolved: (p: { what: string; status: number; outcome: string }) =>
    `${p.what}: the peer sent a complete ${p.status} response and ${p.outcome}. A complete response is a success whatever its status: ` +
    `resolve with its status and body.`,
  wrongStatus: (p: { what: string; status: number; got: string }) => `${p.what}: the peer answered ${p.status}, the promise resolved with status ${p.got}.`,
  gotChars: (length: number) => `${length} characters`,
  wrongBody: (p: { what: string; length: number; chunks: number; got: string }) =>
    `${p.what}: the peer wrote a ${p.length}-character body in ${p.chunks} chunks, the promise resolved with ${p.got}. ` +
    `Collect every 'data' chunk and resolve on the response's 'end', not before.`,
  wholeOk: (p: { what: string; status: number; length: number }) => `${p.what}: resolved status ${p.status} and the whole ${p.length}-character body`,
  steadyRejected: (verdict: string) =>
    `${verdict} Each chunk came within idleMs of the last and the whole response within totalMs: the idle timer must restart on every ` +
    `chunk, and the overall deadline is totalMs, not idleMs.`,

  // connect-deadline
  connectNeverRejected: (outcome: string) =>
    `the firewall dropped every SYN and ${outcome}. Bound the connect phase: a timer of connectMs from the call, cleared when the socket connects.`,
  connectTooEarly: (p: { elapsed: string; connectMs: string }) =>
    `rejected after ${p.elapsed}, before connectMs (${p.connectMs}) had passed: give the handshake the whole connectMs.`,
  connectTooLate: (p: { elapsed: string; connectMs: string; idleMs: string; totalMs: string }) =>
    `rejected after ${p.elapsed}, long after connectMs (${p.connectMs}; idleMs ${p.idleMs}, totalMs ${p.totalMs}): ` +
    `the connect phase needs its own timer of connectMs, started at the call.`,
  connectOk: (p: { elapsed: string; connectMs: string }) => `rejected after ${p.elapsed} (connectMs ${p.connectMs})`,

  // idle-deadline
  idleNeverRejected: (outcome: string) =>
    `the peer read your request and answered nothing; ${outcome}. Put an idle timer of idleMs on the socket once the request is sent.`,
  idleTooEarly: (p: { elapsed: string; idleMs: string }) => `rejected ${p.elapsed} after the peer received the request, before idleMs (${p.idleMs}) of silence.`,
  idleTooLate: (p: { elapsed: string; idleMs: string; totalMs: string }) =>
    `rejected ${p.elapsed} after the peer received the request, long after idleMs (${p.idleMs}; totalMs ${p.totalMs}): ` +
    `a silent server must be given up after idleMs of silence, e.g. with req.setTimeout(idleMs).`,
  idleOk: (p: { elapsed: string; idleMs: string }) => `rejected ${p.elapsed} after the peer received the request (idleMs ${p.idleMs})`,

  // total-deadline
  totalNeverRejected: (p: { bytes: number; every: string; outcome: string }) =>
    `the peer sent headers, then ${p.bytes} body byte(s), one every ${p.every}, and ${p.outcome}. An idle timer never fires ` +
    `on a trickle: add an overall deadline of totalMs, started at the call.`,
  totalTooEarly: (p: { elapsed: string; totalMs: string }) =>
    `rejected after ${p.elapsed}, before totalMs (${p.totalMs}): the data kept coming, so only the overall deadline may end it.`,
  totalTooLate: (p: { elapsed: string; totalMs: string; headersAfter: string }) =>
    `rejected after ${p.elapsed}, past totalMs (${p.totalMs}); the headers came ${p.headersAfter} after the request. ` +
    `Start the overall timer at the call, not when the response begins.`,
  totalOk: (p: { elapsed: string; totalMs: string; bytes: number }) => `rejected after ${p.elapsed} (totalMs ${p.totalMs}), after ${p.bytes} trickled byte(s)`,

  // timeouts-read-as-timeouts
  notATimeout: (p: { scenario: string; error: string }) =>
    `${p.scenario}: the rejection was ${p.error}. Callers tell a timeout from a refusal by the error: give it code 'ETIMEDOUT', ` +
    `name 'TimeoutError' or a message that says "timeout".`,
  noDeadlineRejected: 'none of the three deadlines rejected, so there was no timeout error to read.',
  readAsTimeouts: (scenarios: string) => `read as timeouts: ${scenarios}`,

  // no-syn-after-connect-deadline
  noSyn: 'no SYN crossed the router: getWithDeadlines never opened a connection to the URL.',
  synsButNoRejection: (p: { syns: number; outcome: string }) => `${p.syns} SYN(s) crossed the router and ${p.outcome}.`,
  kept: (p: { late: number; last: string }) =>
    `after rejecting, your socket kept connecting: ${p.late} more SYN(s) crossed the router (the last ${p.last} after the rejection). ` +
    `Destroy the request when the connect deadline fires — and note that aborting a fetch does not stop a connect in progress.`,
  destroyedOk: (syns: number) => `${syns} SYN(s) before the rejection, none after`,

  // closes-after-idle-timeout, closes-after-total-deadline
  phaseSilent: 'with a silent server',
  phaseTrickle: 'with a body trickling forever',
  noRejectionToClose: (p: { phase: string; outcome: string }) => `${p.phase}, ${p.outcome}, so there was no rejection after which to close the connection.`,
  noConnectionToClose: (outcome: string) => `the peer saw no connection from your host (${outcome}), so none was closed.`,
  closedOnlyAfter: (after: string) => `only ${after} after it`,
  closedNotAtAll: 'not at all while we watched',
  stayedOpen: (p: { phase: string; seen: string }) =>
    `${p.phase}, the promise rejected, but the peer saw your FIN or RST ${p.seen}: the connection stayed open (and kept the peer's response coming). ` +
    `When a deadline fires, destroy the request (req.destroy(err)) so its socket is closed, not just reject.`,
  howFin: 'a FIN',
  howReset: (code: string) => `a reset (${code})`,
  howClose: 'the close',
  closedOk: (p: { how: string; after: string }) => `the peer saw ${p.how} ${p.after} after the rejection`,
};

const vi: typeof en = {
  title: 'Một GET có deadline connect, idle và toàn bộ request',
  part: 'Phần 10 — Timeout ở mọi tầng',

  scOk: 'một response 200 hoàn chỉnh, body gửi thành vài chunk',
  scNotFound: 'một response 404 hoàn chỉnh',
  scSteady: 'một response chậm nhưng đều: cứ idleMs / 2 lại có một chunk',
  scDropSyn: 'firewall lặng lẽ drop các SYN',
  scSilent: 'đã kết nối, request đã được đọc, không có byte response nào',
  scTrickle: 'header, rồi cứ idleMs / 2 lại một byte body, mãi mãi',

  tResolves: 'resolve với status và toàn bộ body của một response hoàn chỉnh',
  tResolves404: '404 cũng là một response hoàn chỉnh: nó resolve',
  tSteady: 'một response chậm nhưng đều, xong trước totalMs, thì resolve',
  tConnect: 'SYN bị drop: reject khi connectMs đã trôi qua kể từ lúc gọi',
  tIdle: 'không có byte response nào: reject sau idleMs kể từ lúc gửi request',
  tTotal: 'body nhỏ giọt mãi mãi: reject sau totalMs kể từ lúc gọi',
  tReadsAsTimeout: 'mọi deadline đều reject với một error được hiểu là timeout',
  tNoSyn: 'sau deadline connect, không còn SYN nào rời máy learner',
  tClosesIdle: 'sau idle timeout, peer thấy kết nối bị đóng',
  tClosesTotal: 'sau deadline toàn bộ request, peer thấy kết nối bị đóng',

  rejectedAfter: (p) => `promise bị reject sau ${p.elapsed} với ${p.error}`,
  resolved: (p) => `promise đã resolve (status ${p.status}, ${p.body})`,
  noStringBody: 'body không phải string',
  bodyOf: (length) => `body ${length} ký tự`,
  pending: 'promise vẫn còn pending khi chúng tôi ngừng theo dõi',
  neverSettled: 'lời gọi không bao giờ kết thúc',

  peerNoConnection: (p) =>
    `HTTP peer ở port ${p.port} không thấy kết nối nào từ máy của bạn (${p.outcome}): hãy gửi request tới đúng URL được đưa cho bạn.`,
  peerNoRequestHead:
    'HTTP peer đã accept kết nối của bạn nhưng không nhận được phần đầu request nào hoàn chỉnh: hãy gửi "GET <path> HTTP/1.1" và các header, kết thúc bằng một dòng trống.',
  peerWrongRequest: (p) => `HTTP peer nhận được "${p.method} ${p.path}", không phải "GET ${p.expected}": hãy GET đúng path của URL.`,
  peerNeverReceived: 'peer không hề nhận được request.',

  what200: '200 gửi thành nhiều chunk',
  what404: '404',
  whatSteady: (p) => `cứ ${p.every} một chunk (idleMs ${p.idleMs}, totalMs ${p.totalMs})`,
  notResolved: (p) =>
    `${p.what}: peer đã gửi một response ${p.status} hoàn chỉnh và ${p.outcome}. Response hoàn chỉnh là thành công, status nào cũng vậy: ` +
    `hãy resolve với status và body của nó.`,
  wrongStatus: (p) => `${p.what}: peer trả lời ${p.status}, nhưng promise resolve với status ${p.got}.`,
  gotChars: (length) => `${length} ký tự`,
  wrongBody: (p) =>
    `${p.what}: peer đã ghi body ${p.length} ký tự thành ${p.chunks} chunk, nhưng promise resolve với ${p.got}. ` +
    `Hãy gom mọi chunk 'data' và chỉ resolve khi response có 'end', không sớm hơn.`,
  wholeOk: (p) => `${p.what}: đã resolve status ${p.status} và toàn bộ body ${p.length} ký tự`,
  steadyRejected: (verdict) =>
    `${verdict} Mỗi chunk đều tới trong vòng idleMs sau chunk trước, và cả response xong trong totalMs: timer idle phải khởi động lại ở mỗi ` +
    `chunk, và deadline toàn bộ request là totalMs, không phải idleMs.`,

  connectNeverRejected: (outcome) =>
    `firewall đã drop mọi SYN và ${outcome}. Hãy giới hạn giai đoạn connect: một timer connectMs tính từ lúc gọi, clear khi socket kết nối xong.`,
  connectTooEarly: (p) => `reject sau ${p.elapsed}, trước khi connectMs (${p.connectMs}) trôi qua: hãy cho bắt tay TCP trọn connectMs.`,
  connectTooLate: (p) =>
    `reject sau ${p.elapsed}, quá lâu sau connectMs (${p.connectMs}; idleMs ${p.idleMs}, totalMs ${p.totalMs}): ` +
    `giai đoạn connect cần timer connectMs riêng, bắt đầu từ lúc gọi.`,
  connectOk: (p) => `reject sau ${p.elapsed} (connectMs ${p.connectMs})`,

  idleNeverRejected: (outcome) =>
    `peer đã đọc request của bạn và không trả lời gì; ${outcome}. Hãy đặt một timer idle dài idleMs trên socket khi request đã được gửi.`,
  idleTooEarly: (p) => `reject ${p.elapsed} sau khi peer nhận được request, chưa đủ idleMs (${p.idleMs}) im lặng.`,
  idleTooLate: (p) =>
    `reject ${p.elapsed} sau khi peer nhận được request, quá lâu sau idleMs (${p.idleMs}; totalMs ${p.totalMs}): ` +
    `server im lặng suốt idleMs thì phải bỏ, chẳng hạn với req.setTimeout(idleMs).`,
  idleOk: (p) => `reject ${p.elapsed} sau khi peer nhận được request (idleMs ${p.idleMs})`,

  totalNeverRejected: (p) =>
    `peer đã gửi header, rồi ${p.bytes} byte body, cứ ${p.every} một byte, và ${p.outcome}. Timer idle không bao giờ nổ ` +
    `khi dữ liệu cứ nhỏ giọt: hãy thêm deadline toàn bộ request dài totalMs, bắt đầu từ lúc gọi.`,
  totalTooEarly: (p) => `reject sau ${p.elapsed}, trước totalMs (${p.totalMs}): dữ liệu vẫn đang tới, nên chỉ deadline toàn bộ request mới được kết thúc nó.`,
  totalTooLate: (p) =>
    `reject sau ${p.elapsed}, đã quá totalMs (${p.totalMs}); header tới ${p.headersAfter} sau request. ` +
    `Hãy bắt đầu timer toàn bộ request từ lúc gọi, không phải lúc response bắt đầu.`,
  totalOk: (p) => `reject sau ${p.elapsed} (totalMs ${p.totalMs}), sau ${p.bytes} byte nhỏ giọt`,

  notATimeout: (p) =>
    `${p.scenario}: lần reject là ${p.error}. Nơi gọi phân biệt timeout với bị từ chối nhờ error: hãy cho nó code 'ETIMEDOUT', ` +
    `name 'TimeoutError' hoặc message có chữ "timeout".`,
  noDeadlineRejected: 'không deadline nào trong ba deadline reject, nên không có error timeout nào để đọc.',
  readAsTimeouts: (scenarios) => `được hiểu là timeout: ${scenarios}`,

  noSyn: 'không SYN nào đi qua router: getWithDeadlines chưa hề mở kết nối tới URL.',
  synsButNoRejection: (p) => `${p.syns} SYN đã đi qua router và ${p.outcome}.`,
  kept: (p) =>
    `sau khi reject, socket của bạn vẫn tiếp tục kết nối: thêm ${p.late} SYN đi qua router (cái cuối ${p.last} sau lần reject). ` +
    `Hãy destroy request khi deadline connect nổ — và lưu ý: abort một fetch không dừng được việc connect đang dở.`,
  destroyedOk: (syns) => `${syns} SYN trước lần reject, không cái nào sau đó`,

  phaseSilent: 'với server im lặng',
  phaseTrickle: 'với body nhỏ giọt mãi mãi',
  noRejectionToClose: (p) => `${p.phase}, ${p.outcome}, nên không có lần reject nào để sau đó đóng kết nối.`,
  noConnectionToClose: (outcome) => `peer không thấy kết nối nào từ máy của bạn (${outcome}), nên không có kết nối nào được đóng.`,
  closedOnlyAfter: (after) => `mãi ${after} sau đó mới tới peer`,
  closedNotAtAll: 'không hề tới peer trong lúc chúng tôi theo dõi',
  stayedOpen: (p) =>
    `${p.phase}, promise đã reject, nhưng FIN hoặc RST của bạn ${p.seen}: kết nối vẫn mở (và response của peer vẫn tiếp tục tới). ` +
    `Khi một deadline nổ, hãy destroy request (req.destroy(err)) để socket của nó được đóng, chứ không chỉ reject.`,
  howFin: 'một FIN',
  howReset: (code) => `một reset (${code})`,
  howClose: 'kết nối đóng',
  closedOk: (p) => `peer thấy ${p.how} ${p.after} sau lần reject`,
};

export const m = catalogue(en, vi);
