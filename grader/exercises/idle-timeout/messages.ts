/** idle-timeout's words, in English and Vietnamese (grader/i18n.ts). */
import { catalogue } from '../../i18n.ts';

const en = {
  title: 'An idle timeout for a connected socket',
  part: 'Part 10 — Idle / socket timeout',

  // Scenarios
  scSilent: 'silent peer after one round trip',
  scHeartbeat: (p: { everyMs: number; periods: number }) => `after one round trip, the peer heartbeats every ${p.everyMs} ms for ${p.periods} idle periods`,
  scOwnWrites: (everyMs: number) => `after one round trip, the learner side writes every ${everyMs} ms to a peer that only reads`,
  scBlackhole: 'flow blackholed by the router mid-stream',
  scPeerCloses: 'the peer closes the connection normally',

  // Check titles
  tResolves: 'resolves a connected socket that carries data',
  tClosesWhenIdle: 'a silent connection is destroyed idleMs after the last byte, not before and soon after',
  tHeartbeats: 'a peer that sends something several times per idleMs keeps the connection open',
  tWrites: 'writing on the socket counts as activity too',
  tBlackhole: 'a blackholed flow is ended by the idle timeout, idleMs after the last byte, and the socket released',
  tNoTimer: 'when the peer closes normally, no timer is left to keep the process alive',

  // What the call did
  rejectedWith: (error: string) => `the promise rejected with ${error}`,
  resolvedNotSocket: 'the promise resolved with something that is not a net.Socket',
  resolved: 'the promise resolved',
  neverSettled: 'the promise never settled',

  // The learner's connection, as the peer saw it
  noConnection: (p: { outcome: string; port: number }) =>
    `${p.outcome}, and the peer at port ${p.port} saw no connection from the learner host: resolve with a socket that net.connect() opened to host and port.`,
  cutBeforeFirstWrite: (p: { after: string; firstWrite: string; idleMs: string }) =>
    `your host closed the connection ${p.after} after opening it, before the first bytes were written ${p.firstWrite} after it connected ` +
    `(idleMs was ${p.idleMs}): the connection was cut before it had been idle for idleMs.`,
  payloadNotReceived: (p: { outcome: string; payload: string }) =>
    `${p.outcome}; the peer accepted a connection from your host but never received the bytes written to the socket you resolved (${p.payload}): resolve with that connected socket itself.`,

  // A quiet flow: closed idleMs after the last byte
  wholeWatch: 'the whole watch',
  neverClosed: (p: { what: string; quiet: string; idleMs: string }) =>
    `${p.what}, nothing crossed the connection for ${p.quiet} (idleMs was ${p.idleMs}) and your host never sent a FIN or RST: the socket stayed open. ` +
    `Give it an idle timeout — socket.setTimeout(idleMs) — and destroy() it on 'timeout': the event only tells you, it closes nothing. ` +
    `TCP keep-alive is not an idle timeout, and a quiet connection raises no error by itself.`,
  closedEarly: (p: { what: string; kind: string; after: string; idleMs: string }) =>
    `${p.what}, your host sent its ${p.kind} after only ${p.after} without traffic (idleMs was ${p.idleMs}): ` +
    `the connection was cut before it had been idle for idleMs. Start the count at the last byte read or written — ` +
    `a timer set once at connect, or a shorter one, cuts healthy connections.`,
  closedLate: (p: { what: string; kind: string; silence: string; idleMs: string }) =>
    `${p.what}, your host sent its ${p.kind} ${p.silence} after the last data, long after idleMs (${p.idleMs}): ` +
    `close the socket as soon as the idle timer fires.`,

  // A busy flow: kept open
  cutWhileBusy: (p: { activity: string; kind: string; after: string; idleMs: string; remedy: string }) =>
    `while ${p.activity}, your host sent a ${p.kind} only ${p.after} after the last data (idleMs was ${p.idleMs}): ` +
    `a healthy, busy connection was cut. ${p.remedy}`,
  keptOpenThenClosed: (p: { activity: string; silence: string }) =>
    `the connection stayed open while ${p.activity}; it closed only after ${p.silence} without traffic`,
  noDataWhileBusy: (p: { outcome: string; activity: string }) => `${p.outcome}, but no data crossed the connection while ${p.activity}.`,
  keptOpenOk: (p: { activity: string; crossed: number; over: string; idleMs: string }) =>
    `the connection stayed open while ${p.activity} (${p.crossed} bytes over ${p.over}, idleMs ${p.idleMs}); no FIN or RST from your host`,

  // resolves-connected-socket
  reachableBut: (outcome: string) => `the peer was reachable, but ${outcome}. Resolve with the socket once it emits 'connect'.`,
  notSocket: 'the promise resolved with something that is not a net.Socket: resolve with the socket itself.',
  stillConnecting: "the promise resolved before the connection was made: wait for the socket's 'connect' event.",
  echoNotBack: 'the peer received our bytes, but its echo did not come back through the socket you resolved.',
  connectsOk: (port: number) => `resolved a connected socket; the peer on port ${port} received our bytes and its echo came back`,

  // closes-when-idle
  whatSilent: 'after one round trip with a live but silent peer',
  silentOk: (p: { kind: string; silence: string; idleMs: string }) =>
    `your host sent its ${p.kind} ${p.silence} after the last data crossed the router (idleMs ${p.idleMs})`,

  // heartbeats-keep-open
  activityHeartbeat: (p: { every: string; count: number }) => `the peer sent a heartbeat every ${p.every} (${p.count} in all)`,
  remedyHeartbeat: "Bytes you read are activity: restart the idle count on every 'data' — socket.setTimeout() does this for you.",

  // writes-keep-open
  activityWrites: (p: { every: string; count: number }) => `your side wrote every ${p.every} (${p.count} writes; the peer only reads)`,
  remedyWrites:
    'Idle means nothing crossed the socket in either direction: a write is activity as much as a read. ' +
    'socket.setTimeout() counts both; a hand-made timer must be restarted on writes as well as on data.',

  // blackhole-ends-at-idle
  neverBlackholed: (outcome: string) => `${outcome}; the echo of our bytes never came back, so the flow was never blackholed.`,
  whatBlackhole: 'once the router dropped every packet of the flow',
  droppedNote: ' (the router dropped it: the peer never knew)',
  stillRunning: (later: string) => `${later} later, when we stopped it`,
  notReleased: (p: { kind: string; silence: string; dropped: string; still: string }) =>
    `your host sent its ${p.kind} on time, ${p.silence} after the last data${p.dropped}, but the process was still running ${p.still}: ` +
    `the socket was never released. socket.end() only half-closes and waits for the peer's FIN, which a blackholed peer never sends — ` +
    `destroy() the socket when the idle timer fires.`,
  closedThenEnded: (outcome: string) => `your host closed on time, but then ${outcome}.`,
  blackholeOk: (p: { kind: string; silence: string; dropped: string; idleMs: string; exitedAfter: string }) =>
    `your host sent its ${p.kind} ${p.silence} after the last data${p.dropped} (idleMs ${p.idleMs}), and the process exited ${p.exitedAfter} later`,

  // no-timer-after-peer-close
  beforePeer: 'before the peer did',
  peerNever: 'and the peer never did',
  cutBeforePeer: (p: { order: string; idleMs: string; outcome: string }) =>
    `your host closed the connection ${p.order}, with idleMs ${p.idleMs}: ${p.outcome}, and the socket was cut early.`,
  peerNeverClosed: (outcome: string) => `${outcome}; the peer never closed the connection, so there was nothing to clean up after.`,
  heldUntilStopped: (held: string) => `${held}, until we stopped it`,
  lingered: (p: { held: string; idleMs: string }) =>
    `the peer closed the connection normally, and the process stayed alive ${p.held} (idleMs was ${p.idleMs}): a timer is still pending. ` +
    `Clear your idle timer when the socket emits 'close' (or unref() it); socket.setTimeout()'s own timer never holds the process.`,
  peerClosedThenEnded: (outcome: string) => `the peer closed the connection and ${outcome}.`,
  peerClosedOk: (after: string) => `the peer closed the connection and the process exited ${after} later`,
};

const vi: typeof en = {
  title: 'Timeout idle cho một socket đã kết nối',
  part: 'Phần 10 — Timeout idle / socket',

  scSilent: 'peer im lặng sau một lượt đi và về',
  scHeartbeat: (p) => `sau một lượt đi và về, peer gửi heartbeat mỗi ${p.everyMs} ms trong ${p.periods} chu kỳ idle`,
  scOwnWrites: (everyMs) => `sau một lượt đi và về, phía learner ghi mỗi ${everyMs} ms cho một peer chỉ đọc`,
  scBlackhole: 'flow bị router blackhole giữa chừng',
  scPeerCloses: 'peer đóng kết nối bình thường',

  tResolves: 'resolve một socket đã kết nối và truyền được dữ liệu',
  tClosesWhenIdle: 'một kết nối im lặng bị destroy idleMs sau byte cuối cùng, không sớm hơn và không trễ quá nhiều',
  tHeartbeats: 'một peer gửi gì đó nhiều lần trong mỗi idleMs thì giữ được kết nối mở',
  tWrites: 'ghi lên socket cũng được tính là có hoạt động',
  tBlackhole: 'một flow bị blackhole được timeout idle kết thúc, idleMs sau byte cuối cùng, và socket được giải phóng',
  tNoTimer: 'khi peer đóng kết nối bình thường, không để lại timer nào giữ process sống',

  rejectedWith: (error) => `promise bị reject với ${error}`,
  resolvedNotSocket: 'promise resolve với một thứ không phải net.Socket',
  resolved: 'promise đã resolve',
  neverSettled: 'promise không bao giờ kết thúc',

  noConnection: (p) =>
    `${p.outcome}, và peer ở port ${p.port} không thấy kết nối nào từ máy learner: hãy resolve bằng một socket mà net.connect() đã mở tới host và port.`,
  cutBeforeFirstWrite: (p) =>
    `host của bạn đóng kết nối ${p.after} sau khi mở nó, trước khi các byte đầu tiên được ghi vào lúc ${p.firstWrite} sau khi kết nối xong ` +
    `(idleMs là ${p.idleMs}): kết nối bị cắt khi chưa idle đủ idleMs.`,
  payloadNotReceived: (p) =>
    `${p.outcome}; peer đã accept một kết nối từ host của bạn nhưng không nhận được các byte ghi vào socket bạn resolve (${p.payload}): hãy resolve bằng chính socket đã kết nối đó.`,

  wholeWatch: 'suốt thời gian theo dõi',
  neverClosed: (p) =>
    `${p.what}, không có gì đi qua kết nối trong ${p.quiet} (idleMs là ${p.idleMs}) và host của bạn không hề gửi FIN hay RST: socket vẫn mở. ` +
    `Hãy cho nó một timeout idle — socket.setTimeout(idleMs) — và destroy() nó khi có 'timeout': event đó chỉ báo cho bạn biết, nó không đóng gì cả. ` +
    `TCP keep-alive không phải là timeout idle, và một kết nối im lặng tự nó không sinh ra error nào.`,
  closedEarly: (p) =>
    `${p.what}, host của bạn gửi ${p.kind} chỉ sau ${p.after} không có traffic (idleMs là ${p.idleMs}): ` +
    `kết nối bị cắt khi chưa idle đủ idleMs. Hãy bắt đầu đếm từ byte cuối cùng được đọc hoặc ghi — ` +
    `một timer bật một lần lúc connect, hoặc một timer ngắn hơn, sẽ cắt cả những kết nối còn khỏe.`,
  closedLate: (p) =>
    `${p.what}, host của bạn gửi ${p.kind} ${p.silence} sau dữ liệu cuối cùng, quá lâu sau idleMs (${p.idleMs}): ` +
    `hãy đóng socket ngay khi timer idle kích hoạt.`,

  cutWhileBusy: (p) =>
    `trong lúc ${p.activity}, host của bạn gửi ${p.kind} chỉ ${p.after} sau dữ liệu cuối cùng (idleMs là ${p.idleMs}): ` +
    `một kết nối còn khỏe và đang bận đã bị cắt. ${p.remedy}`,
  keptOpenThenClosed: (p) => `kết nối vẫn mở trong lúc ${p.activity}; nó chỉ đóng sau ${p.silence} không có traffic`,
  noDataWhileBusy: (p) => `${p.outcome}, nhưng không có dữ liệu nào đi qua kết nối trong lúc ${p.activity}.`,
  keptOpenOk: (p) => `kết nối vẫn mở trong lúc ${p.activity} (${p.crossed} byte trong ${p.over}, idleMs ${p.idleMs}); host của bạn không gửi FIN hay RST nào`,

  reachableBut: (outcome) => `peer kết nối được, nhưng ${outcome}. Hãy resolve bằng socket khi nó phát 'connect'.`,
  notSocket: 'promise resolve với một thứ không phải net.Socket: hãy resolve bằng chính socket.',
  stillConnecting: "promise resolve trước khi kết nối xong: hãy chờ event 'connect' của socket.",
  echoNotBack: 'peer đã nhận được các byte của chúng tôi, nhưng echo của nó không quay về qua socket bạn resolve.',
  connectsOk: (port) => `đã resolve một socket đã kết nối; peer ở port ${port} nhận được các byte của chúng tôi và echo của nó đã quay về`,

  whatSilent: 'sau một lượt đi và về với một peer còn sống nhưng im lặng',
  silentOk: (p) => `host của bạn gửi ${p.kind} ${p.silence} sau khi dữ liệu cuối cùng đi qua router (idleMs ${p.idleMs})`,

  activityHeartbeat: (p) => `peer gửi heartbeat mỗi ${p.every} (tổng cộng ${p.count} lần)`,
  remedyHeartbeat: "Byte bạn đọc được cũng là hoạt động: hãy bắt đầu đếm idle lại ở mỗi 'data' — socket.setTimeout() làm việc này giúp bạn.",

  activityWrites: (p) => `phía bạn ghi mỗi ${p.every} (${p.count} lần ghi; peer chỉ đọc)`,
  remedyWrites:
    'Idle nghĩa là không có gì đi qua socket theo cả hai chiều: một lần ghi cũng là hoạt động như một lần đọc. ' +
    'socket.setTimeout() tính cả hai; một timer tự làm phải được khởi động lại ở mỗi lần ghi, cũng như ở mỗi lần có dữ liệu đến.',

  neverBlackholed: (outcome) => `${outcome}; echo các byte của chúng tôi không bao giờ quay về, nên flow chưa hề bị blackhole.`,
  whatBlackhole: 'khi router đã drop mọi packet của flow',
  droppedNote: ' (router đã drop nó: peer không hề biết)',
  stillRunning: (later) => `${later} sau đó, lúc chúng tôi dừng nó`,
  notReleased: (p) =>
    `host của bạn gửi ${p.kind} đúng giờ, ${p.silence} sau dữ liệu cuối cùng${p.dropped}, nhưng process vẫn còn chạy ${p.still}: ` +
    `socket không hề được giải phóng. socket.end() chỉ đóng một nửa và chờ FIN của peer, mà một peer bị blackhole thì không bao giờ gửi FIN — ` +
    `hãy destroy() socket khi timer idle kích hoạt.`,
  closedThenEnded: (outcome) => `host của bạn đóng đúng giờ, nhưng sau đó ${outcome}.`,
  blackholeOk: (p) =>
    `host của bạn gửi ${p.kind} ${p.silence} sau dữ liệu cuối cùng${p.dropped} (idleMs ${p.idleMs}), và process thoát ${p.exitedAfter} sau đó`,

  beforePeer: 'trước khi peer đóng',
  peerNever: 'còn peer thì không hề đóng',
  cutBeforePeer: (p) => `host của bạn đóng kết nối ${p.order}, với idleMs ${p.idleMs}: ${p.outcome}, và socket đã bị cắt quá sớm.`,
  peerNeverClosed: (outcome) => `${outcome}; peer không hề đóng kết nối, nên không có gì để dọn dẹp.`,
  heldUntilStopped: (held) => `${held}, cho tới khi chúng tôi dừng nó`,
  lingered: (p) =>
    `peer đã đóng kết nối bình thường, nhưng process vẫn sống thêm ${p.held} (idleMs là ${p.idleMs}): vẫn còn một timer đang chờ. ` +
    `Hãy clear timer idle của bạn khi socket phát 'close' (hoặc unref() nó); timer riêng của socket.setTimeout() không bao giờ giữ process.`,
  peerClosedThenEnded: (outcome) => `peer đã đóng kết nối và ${outcome}.`,
  peerClosedOk: (after) => `peer đã đóng kết nối và process thoát ${after} sau đó`,
};

export const m = catalogue(en, vi);
