/** error-stages' words, in English and Vietnamese (grader/i18n.ts). */
import { catalogue } from '../../i18n.ts';

const en = {
  title: 'Place every failure on its stage',
  part: 'Part 10 — The full request path: error codes by stage',

  // Scenarios
  scNameOk: 'a name that resolves; the peer replies and ends its side',
  scIpOk: 'an IP literal; the peer replies and ends its side',
  scNxdomain: 'a name that does not exist (NXDOMAIN)',
  scDnsSilent: 'a name the resolver never answers',
  scRefused: 'SYNs answered with a TCP reset',
  scUnreachable: 'SYNs answered with ICMP host-unreachable',
  scDropSyn: 'SYNs silently dropped by a firewall',
  scWriteReset: 'a request of several MB to a peer that reads nothing, then resets',
  scReadReset: 'the peer reads a request of several MB, sends part of a reply, then resets',
  scSilent: 'the peer holds a large request unread, then reads it all and answers nothing',

  // Check titles
  tOkByName: 'a name that resolves: the request arrives whole and the whole reply comes back',
  tOkByIp: 'an IP literal: the request arrives whole and the whole reply comes back',
  tLookupNotFound: 'a name that does not exist: lookup / ENOTFOUND',
  tLookupEaiAgain: 'a resolver that never answers: lookup / EAI_AGAIN',
  tConnectRefused: 'SYN answered with a reset: connect / ECONNREFUSED',
  tConnectUnreachable: 'SYN answered with ICMP host-unreachable: connect / EHOSTUNREACH',
  tWriteReset: 'a reset while the request is still being written: write / EPIPE or ECONNRESET',
  tReadReset: 'a reset after the request was written, mid-reply: read / ECONNRESET',
  tConnectTimeout: 'SYNs dropped: connect / ETIMEDOUT when connectMs has passed',
  tIdleTimeout: 'no reply: idle / ETIMEDOUT idleMs after the request was written',
  tNeverRejects: 'probe never rejects or throws, whatever fails',
  tNoSyn: 'after the connect timeout, no more SYNs leave the learner host',
  tClosesIdle: 'after the idle timeout, the peer sees the connection closed',
  tNothingLeft: 'after every outcome, no socket or timer keeps the process alive',

  // What the call did (elapsed: '' when unknown)
  pending: 'the promise was still pending when we stopped watching',
  threw: (error: string) => `probe threw synchronously (${error}) instead of returning a promise`,
  rejected: (p: { elapsed: string; error: string }) => `the promise rejected${p.elapsed ? ` after ${p.elapsed}` : ''} with ${p.error}`,
  resolvedNotObject: (p: { elapsed: string; kind: string; value: string }) =>
    `the promise resolved${p.elapsed ? ` after ${p.elapsed}` : ''} with ${p.kind} ${p.value}, not a ProbeResult object`,
  resolvedOk: (p: { elapsed: string; replyLength?: number }) =>
    `the promise resolved${p.elapsed ? ` after ${p.elapsed}` : ''} with { ok: true, reply: ${p.replyLength === undefined ? 'not a string' : `${p.replyLength} characters`} }`,
  resolvedFailure: (p: { elapsed: string; ok: string; stage: string; code: string }) =>
    `the promise resolved${p.elapsed ? ` after ${p.elapsed}` : ''} with { ok: ${p.ok}, stage: ${p.stage}, code: ${p.code} }`,
  never: 'probe must never reject: resolve with { ok: false, stage, code } on every failure.',

  // A failure outcome (what: the fault; want: the expected result; advice: how to get there)
  want: (p: { stage: string; codes: string[] }) => `{ ok: false, stage: '${p.stage}', code: ${p.codes.map((c) => `'${c}'`).join(' or ')} }`,
  notSettled: (p: { what: string; outcome: string; want: string; advice: string }) => `${p.what}: ${p.outcome}. Expected ${p.want}. ${p.advice}`,
  notResolved: (p: { what: string; outcome: string; never: string; want: string }) => `${p.what}: ${p.outcome}. ${p.never} Here: ${p.want}.`,
  notFailure: (p: { what: string; outcome: string; want: string }) => `${p.what}: ${p.outcome}. Expected ${p.want}.`,
  wrongStage: (p: { what: string; outcome: string; stage: string; want: string; advice: string }) =>
    `${p.what}: ${p.outcome}; this failure belongs to the ${p.stage} stage: ${p.want}. ${p.advice}`,
  wrongCode: (p: { what: string; outcome: string; codes: string[]; advice: string }) =>
    `${p.what}: ${p.outcome}. Report Node's own error code (err.code), unchanged: ${p.codes.join(' or ')} here. ${p.advice}`,
  failureOk: (p: { what: string; outcome: string }) => `${p.what}: ${p.outcome}`,

  // A successful exchange (what: the host)
  whatHost: (host: string) => `host ${host}`,
  okNoAccept: (p: { what: string; port: number; outcome: string }) =>
    `${p.what}: the peer at port ${p.port} saw no connection from your host (${p.outcome}): look the host up, then connect to the address and port.`,
  okNoRequest: (p: { what: string; bytes: number; outcome: string }) =>
    `${p.what}: the peer accepted your connection but never received the whole ${p.bytes}-byte request (${p.outcome}): write all of it.`,
  okWrongRequest: (p: { what: string; bytes: string }) =>
    `${p.what}: the peer received ${p.bytes} bytes that are not the request you were given: write the request string as it is, once.`,
  okNotResolved: (p: { what: string; outcome: string }) =>
    `${p.what}: the peer received the request, replied and ended its side; ${p.outcome}. Resolve { ok: true, reply } when the socket ends.`,
  okNotOkTrue: (p: { what: string; outcome: string }) => `${p.what}: the peer replied and ended its side; ${p.outcome}. A complete reply is { ok: true, reply }.`,
  noStringReply: 'no string reply',
  differentReply: (length: number) => `a ${length}-character reply that differs`,
  okReplyDiffers: (p: { what: string; length: number; got: string }) =>
    `${p.what}: the peer wrote a ${p.length}-character reply in several writes, then ended; the promise resolved with ${p.got}. ` +
    `Collect every 'data' chunk and resolve on 'end', not before.`,
  okExtraFields: (p: { what: string; fields: string[] }) =>
    `${p.what}: resolved { ok: true, reply } with extra fields (${p.fields.join(', ')}): the result is exactly { ok: true, reply }.`,
  okOk: (p: { what: string; length: number }) => `${p.what}: resolved { ok: true, reply } with the whole ${p.length}-character reply`,
  notAsked: (host: string) => `host ${host}: the lab's resolver was never asked for that name: look it up (dns.lookup) before connecting.`,

  // lookup-enotfound, lookup-eai-again
  whatNxdomain: (host: string) => `the resolver answered NXDOMAIN for ${host}`,
  adviceLookup: "Look the name up yourself (dns.lookup, or the socket's 'lookup' event) so that its failure is told apart from a failed connect.",
  whatDnsSilent: (host: string) => `the resolver never answered for ${host}`,
  adviceEaiAgain: 'A resolver that does not answer fails the lookup with EAI_AGAIN: that too is the lookup stage.',

  // connect-refused, connect-unreachable
  whatRefused: 'the router answered the SYN with a TCP reset',
  whatUnreachable: 'the router answered the SYN with ICMP host-unreachable',
  adviceConnectStage: "The socket's 'error' before 'connect' is the connect stage.",

  // write-stage-reset
  writeNoAccept: (p: { port: number; outcome: string }) => `the peer at port ${p.port} saw no connection from your host (${p.outcome}): look the host up and connect.`,
  whatWriteReset: (p: { bytes: number; after: string }) =>
    `the peer read nothing of your ${p.bytes}-byte request and reset the connection ${p.after} after accepting it`,
  adviceWrite:
    "The request cannot all fit in the socket's buffers, so the write was still in progress: move to the read stage only when the write's callback (or 'finish') says it is done.",

  // read-stage-reset
  readNoRequest: (outcome: string) => `the peer never received the whole request (${outcome}): write all of it.`,
  whatReadReset: 'the peer read the whole request, sent part of a reply, then reset',
  adviceRead: 'Once the request is written, an error while the reply comes in belongs to the read stage.',

  // connect-timeout
  whatDropSyn: 'the firewall dropped every SYN',
  adviceConnectTimer: 'The kernel alone retries SYNs for minutes: start a timer of connectMs, and when it fires destroy the socket and resolve connect / ETIMEDOUT.',
  connectTooEarly: (p: { elapsed: string; connectMs: string }) =>
    `resolved connect / ETIMEDOUT after ${p.elapsed}, before connectMs (${p.connectMs}) had passed: give the handshake the whole connectMs.`,
  connectTooLate: (p: { elapsed: string; connectMs: string }) =>
    `resolved connect / ETIMEDOUT after ${p.elapsed}, long after connectMs (${p.connectMs}): your own timer of connectMs must end the connect.`,
  connectOk: (p: { elapsed: string; connectMs: string }) => `connect / ETIMEDOUT after ${p.elapsed} (connectMs ${p.connectMs})`,

  // idle-timeout
  idleNoRequest: (p: { bytes: number; outcome: string }) =>
    `the peer never received the whole ${p.bytes}-byte request (${p.outcome}): write all of it, and give the idle timer no say until it is written.`,
  whatSilent: 'the peer read the whole request and answered nothing',
  adviceIdle:
    'Once the request is written, wait at most idleMs for the reply: an idle timer (socket.setTimeout(idleMs) or your own), then destroy the socket and resolve idle / ETIMEDOUT.',
  idleTooEarly: (p: { opened: string; held: string; after: string; idleMs: string }) =>
    `the peer had your whole request ${p.opened} after the connection opened (it held it unread ${p.held}), and you gave up only ${p.after} after that, ` +
    `before idleMs (${p.idleMs}): count idleMs from when the request was written (the write's callback), not from the connect.`,
  idleTooLate: (p: { after: string; idleMs: string }) =>
    `gave up ${p.after} after the peer had the whole request, long after idleMs (${p.idleMs}): end the wait when the idle timer fires.`,
  idleOk: (p: { after: string; idleMs: string }) => `idle / ETIMEDOUT ${p.after} after the peer had the whole request (idleMs ${p.idleMs})`,

  // never-rejects
  rejectedIn: (p: { id: string; outcome: string; never: string }) => `${p.id}: ${p.outcome}. ${p.never}`,
  settledNowhere: (outcome: string) => `the promise settled in no scenario (${outcome}).`,
  neverOk: (p: { settled: number; total: number }) => `resolved in every scenario where it settled (${p.settled} of ${p.total})`,

  // no-syn-after-timeout
  noSyn: (outcome: string) => `no SYN crossed the router (${outcome}): probe never opened a connection to the port.`,
  synsNoOutcome: (p: { syns: number; outcome: string }) => `${p.syns} SYN(s) crossed the router and ${p.outcome}.`,
  keptConnecting: (p: { late: number; last: string }) =>
    `after the promise settled, your socket kept connecting: ${p.late} more SYN(s) crossed the router (the last ${p.last} after). ` +
    'When the connect timer fires, destroy() the socket.',
  synOk: (syns: number) => `${syns} SYN(s) before the outcome, none after`,

  // closes-after-idle
  silentNoOutcome: (outcome: string) => `with a silent peer, ${outcome}, so there was no outcome after which to close.`,
  closeNoConnection: (outcome: string) => `the peer saw no connection from your host (${outcome}).`,
  closedOnlyAfter: (after: string) => `only ${after} after it`,
  closedNotAtAll: 'not at all while we watched',
  stayedOpen: (seen: string) =>
    `with a silent peer the promise settled, but the peer saw your FIN or RST ${seen}: ` +
    'the socket stayed open. Destroy it when the idle timer fires, before resolving.',
  howFin: 'a FIN',
  howReset: (code: string) => `a reset (${code})`,
  howClose: 'the close',
  closedOk: (p: { how: string; after: string }) => `the peer saw ${p.how} ${p.after} after the outcome`,

  // nothing-left-behind
  heldUntilStopped: (limit: string) => `more than ${limit}, until we stopped it`,
  lingered: (p: { id: string; outcome: string; held: string; connectMs: string; idleMs: string }) =>
    `${p.id}: after the outcome (${p.outcome}), the process stayed alive ${p.held} (connectMs ${p.connectMs}, idleMs ${p.idleMs}): ` +
    'a socket or a timer was left behind. On every outcome, clear your timers and destroy the socket.',
  resolvedNowhere: (outcome: string) => `the promise resolved in no scenario (${outcome}).`,
  exitedOk: (judged: number) => `the process exited soon after the outcome in all ${judged} scenarios where probe settled`,
};

const vi: typeof en = {
  title: 'Đặt mỗi lỗi vào đúng giai đoạn của nó',
  part: 'Phần 10 — Toàn bộ đường đi của request: error code theo từng giai đoạn',

  scNameOk: 'một tên resolve được; peer trả lời rồi đóng chiều gửi của nó',
  scIpOk: 'một IP literal; peer trả lời rồi đóng chiều gửi của nó',
  scNxdomain: 'một tên không tồn tại (NXDOMAIN)',
  scDnsSilent: 'một tên mà resolver không bao giờ trả lời',
  scRefused: 'SYN bị trả lời bằng TCP reset',
  scUnreachable: 'SYN bị trả lời bằng ICMP host-unreachable',
  scDropSyn: 'firewall lặng lẽ drop các SYN',
  scWriteReset: 'một request vài MB gửi tới một peer không đọc gì, rồi peer reset',
  scReadReset: 'peer đọc một request vài MB, gửi một phần reply, rồi reset',
  scSilent: 'peer giữ một request lớn không đọc, rồi đọc hết và không trả lời gì',

  tOkByName: 'một tên resolve được: request tới nguyên vẹn và toàn bộ reply quay về',
  tOkByIp: 'một IP literal: request tới nguyên vẹn và toàn bộ reply quay về',
  tLookupNotFound: 'một tên không tồn tại: lookup / ENOTFOUND',
  tLookupEaiAgain: 'resolver không bao giờ trả lời: lookup / EAI_AGAIN',
  tConnectRefused: 'SYN bị trả lời bằng reset: connect / ECONNREFUSED',
  tConnectUnreachable: 'SYN bị trả lời bằng ICMP host-unreachable: connect / EHOSTUNREACH',
  tWriteReset: 'reset trong lúc request vẫn đang được ghi: write / EPIPE hoặc ECONNRESET',
  tReadReset: 'reset sau khi request đã ghi xong, giữa lúc reply đang tới: read / ECONNRESET',
  tConnectTimeout: 'SYN bị drop: connect / ETIMEDOUT khi connectMs đã trôi qua',
  tIdleTimeout: 'không có reply: idle / ETIMEDOUT, idleMs sau khi request đã ghi xong',
  tNeverRejects: 'probe không bao giờ reject hay throw, dù lỗi gì xảy ra',
  tNoSyn: 'sau connect timeout, không còn SYN nào rời máy learner',
  tClosesIdle: 'sau idle timeout, peer thấy kết nối bị đóng',
  tNothingLeft: 'sau mọi kết quả, không còn socket hay timer nào giữ process sống',

  pending: 'promise vẫn còn pending khi chúng tôi ngừng theo dõi',
  threw: (error) => `probe throw đồng bộ (${error}) thay vì trả về một promise`,
  rejected: (p) => `promise bị reject${p.elapsed ? ` sau ${p.elapsed}` : ''} với ${p.error}`,
  resolvedNotObject: (p) => `promise resolve${p.elapsed ? ` sau ${p.elapsed}` : ''} với ${p.kind} ${p.value}, không phải một object ProbeResult`,
  resolvedOk: (p) =>
    `promise resolve${p.elapsed ? ` sau ${p.elapsed}` : ''} với { ok: true, reply: ${p.replyLength === undefined ? 'không phải string' : `${p.replyLength} ký tự`} }`,
  resolvedFailure: (p) => `promise resolve${p.elapsed ? ` sau ${p.elapsed}` : ''} với { ok: ${p.ok}, stage: ${p.stage}, code: ${p.code} }`,
  never: 'probe không bao giờ được reject: hãy resolve với { ok: false, stage, code } ở mọi lỗi.',

  want: (p) => `{ ok: false, stage: '${p.stage}', code: ${p.codes.map((c) => `'${c}'`).join(' hoặc ')} }`,
  notSettled: (p) => `${p.what}: ${p.outcome}. Cần ${p.want}. ${p.advice}`,
  notResolved: (p) => `${p.what}: ${p.outcome}. ${p.never} Ở đây cần: ${p.want}.`,
  notFailure: (p) => `${p.what}: ${p.outcome}. Cần ${p.want}.`,
  wrongStage: (p) => `${p.what}: ${p.outcome}; lỗi này thuộc giai đoạn ${p.stage}: ${p.want}. ${p.advice}`,
  wrongCode: (p) =>
    `${p.what}: ${p.outcome}. Hãy báo đúng error code của chính Node (err.code), không đổi gì: ở đây là ${p.codes.join(' hoặc ')}. ${p.advice}`,
  failureOk: (p) => `${p.what}: ${p.outcome}`,

  whatHost: (host) => `host ${host}`,
  okNoAccept: (p) =>
    `${p.what}: peer ở port ${p.port} không thấy kết nối nào từ host của bạn (${p.outcome}): hãy lookup host, rồi connect tới địa chỉ và port đó.`,
  okNoRequest: (p) =>
    `${p.what}: peer đã accept kết nối của bạn nhưng không nhận được trọn request ${p.bytes} byte (${p.outcome}): hãy ghi hết request.`,
  okWrongRequest: (p) =>
    `${p.what}: peer nhận được ${p.bytes} byte không phải là request bạn được đưa: hãy ghi đúng chuỗi request đó, y nguyên, một lần.`,
  okNotResolved: (p) =>
    `${p.what}: peer đã nhận request, trả lời rồi đóng chiều gửi của nó; ${p.outcome}. Hãy resolve { ok: true, reply } khi socket có 'end'.`,
  okNotOkTrue: (p) => `${p.what}: peer đã trả lời rồi đóng chiều gửi của nó; ${p.outcome}. Một reply hoàn chỉnh là { ok: true, reply }.`,
  noStringReply: 'một reply không phải string',
  differentReply: (length) => `một reply ${length} ký tự khác với reply peer đã gửi`,
  okReplyDiffers: (p) =>
    `${p.what}: peer đã ghi một reply ${p.length} ký tự qua nhiều lần write, rồi end; promise resolve với ${p.got}. ` +
    `Hãy gom mọi chunk 'data' và chỉ resolve khi có 'end', không sớm hơn.`,
  okExtraFields: (p) =>
    `${p.what}: đã resolve { ok: true, reply } nhưng kèm field thừa (${p.fields.join(', ')}): kết quả phải đúng là { ok: true, reply }.`,
  okOk: (p) => `${p.what}: đã resolve { ok: true, reply } với toàn bộ reply ${p.length} ký tự`,
  notAsked: (host) => `host ${host}: resolver của lab không hề được hỏi tên đó: hãy lookup nó (dns.lookup) trước khi connect.`,

  whatNxdomain: (host) => `resolver trả lời NXDOMAIN cho ${host}`,
  adviceLookup:
    "Hãy tự lookup tên đó (dns.lookup, hoặc event 'lookup' của socket) để lỗi của nó được phân biệt với một lần connect thất bại.",
  whatDnsSilent: (host) => `resolver không hề trả lời cho ${host}`,
  adviceEaiAgain: 'Một resolver không trả lời sẽ làm lookup thất bại với EAI_AGAIN: đó cũng là giai đoạn lookup.',

  whatRefused: 'router trả lời SYN bằng một TCP reset',
  whatUnreachable: 'router trả lời SYN bằng ICMP host-unreachable',
  adviceConnectStage: "Event 'error' của socket xảy ra trước 'connect' thuộc giai đoạn connect.",

  writeNoAccept: (p) => `peer ở port ${p.port} không thấy kết nối nào từ host của bạn (${p.outcome}): hãy lookup host rồi connect.`,
  whatWriteReset: (p) => `peer không đọc gì trong request ${p.bytes} byte của bạn và reset kết nối${p.after ? ` ${p.after}` : ''} sau khi accept nó`,
  adviceWrite:
    "Request không thể nằm gọn trong các buffer của socket, nên lần write vẫn đang diễn ra: chỉ chuyển sang giai đoạn read khi callback của write (hoặc 'finish') báo là đã xong.",

  readNoRequest: (outcome) => `peer không hề nhận được trọn request (${outcome}): hãy ghi hết request.`,
  whatReadReset: 'peer đã đọc hết request, gửi một phần reply, rồi reset',
  adviceRead: 'Khi request đã ghi xong, error xảy ra trong lúc reply đang tới thuộc giai đoạn read.',

  whatDropSyn: 'firewall đã drop mọi SYN',
  adviceConnectTimer:
    'Riêng kernel sẽ retry SYN hàng phút: hãy bắt đầu một timer connectMs, và khi nó kích hoạt thì destroy socket và resolve connect / ETIMEDOUT.',
  connectTooEarly: (p) =>
    `đã resolve connect / ETIMEDOUT sau ${p.elapsed}, trước khi connectMs (${p.connectMs}) trôi qua: hãy cho handshake trọn connectMs.`,
  connectTooLate: (p) =>
    `đã resolve connect / ETIMEDOUT sau ${p.elapsed}, quá lâu sau connectMs (${p.connectMs}): chính timer connectMs của bạn phải kết thúc giai đoạn connect.`,
  connectOk: (p) => `connect / ETIMEDOUT sau ${p.elapsed} (connectMs ${p.connectMs})`,

  idleNoRequest: (p) =>
    `peer không hề nhận được trọn request ${p.bytes} byte (${p.outcome}): hãy ghi hết request, và đừng để timer idle can thiệp cho tới khi ghi xong.`,
  whatSilent: 'peer đã đọc hết request và không trả lời gì',
  adviceIdle:
    'Khi request đã ghi xong, hãy chờ reply tối đa idleMs: một timer idle (socket.setTimeout(idleMs) hoặc timer của riêng bạn), rồi destroy socket và resolve idle / ETIMEDOUT.',
  idleTooEarly: (p) =>
    `peer có trọn request của bạn ${p.opened} sau khi kết nối được mở (nó giữ request không đọc ${p.held}), và bạn bỏ cuộc chỉ ${p.after} sau đó, ` +
    `trước khi hết idleMs (${p.idleMs}): hãy đếm idleMs từ lúc request đã ghi xong (callback của write), không phải từ lúc connect.`,
  idleTooLate: (p) => `bỏ cuộc ${p.after} sau khi peer có trọn request, quá lâu sau idleMs (${p.idleMs}): hãy dừng chờ ngay khi timer idle kích hoạt.`,
  idleOk: (p) => `idle / ETIMEDOUT ${p.after} sau khi peer có trọn request (idleMs ${p.idleMs})`,

  rejectedIn: (p) => `${p.id}: ${p.outcome}. ${p.never}`,
  settledNowhere: (outcome) => `promise không kết thúc trong scenario nào (${outcome}).`,
  neverOk: (p) => `đã resolve ở mọi scenario mà nó kết thúc (${p.settled} trên ${p.total})`,

  noSyn: (outcome) => `không SYN nào đi qua router (${outcome}): probe chưa hề mở kết nối tới port.`,
  synsNoOutcome: (p) => `${p.syns} SYN đã đi qua router và ${p.outcome}.`,
  keptConnecting: (p) =>
    `sau khi promise kết thúc, socket của bạn vẫn tiếp tục kết nối: thêm ${p.late} SYN đi qua router (cái cuối ${p.last} sau đó). ` +
    'Khi timer connect kích hoạt, hãy destroy() socket.',
  synOk: (syns) => `${syns} SYN trước kết quả, không cái nào sau đó`,

  silentNoOutcome: (outcome) => `với một peer im lặng, ${outcome}, nên không có kết quả nào để sau đó đóng kết nối.`,
  closeNoConnection: (outcome) => `peer không thấy kết nối nào từ host của bạn (${outcome}).`,
  closedOnlyAfter: (after) => `mãi ${after} sau đó mới tới peer`,
  closedNotAtAll: 'không hề tới peer trong lúc chúng tôi theo dõi',
  stayedOpen: (seen) =>
    `với một peer im lặng, promise đã kết thúc, nhưng FIN hoặc RST của bạn ${seen}: ` +
    'socket vẫn mở. Hãy destroy nó khi timer idle kích hoạt, trước khi resolve.',
  howFin: 'một FIN',
  howReset: (code) => `một reset (${code})`,
  howClose: 'kết nối đóng',
  closedOk: (p) => `peer thấy ${p.how} ${p.after} sau kết quả`,

  heldUntilStopped: (limit) => `hơn ${limit}, cho tới khi chúng tôi dừng nó`,
  lingered: (p) =>
    `${p.id}: sau kết quả (${p.outcome}), process vẫn sống thêm ${p.held} (connectMs ${p.connectMs}, idleMs ${p.idleMs}): ` +
    'còn sót lại một socket hoặc một timer. Ở mọi kết quả, hãy clear các timer và destroy socket.',
  resolvedNowhere: (outcome) => `promise không resolve trong scenario nào (${outcome}).`,
  exitedOk: (judged) => `process thoát ngay sau kết quả ở cả ${judged} scenario mà probe kết thúc`,
};

export const m = catalogue(en, vi);
