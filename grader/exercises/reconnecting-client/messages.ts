/** reconnecting-client's words, in English and Vietnamese (grader/i18n.ts). */
import { catalogue } from '../../i18n.ts';

const en = {
  title: 'A resilient reconnecting client',
  part: 'Part 10 — A resilient reconnecting client',

  // Scenarios
  scRestart: 'the server is killed, stays down, comes back, then hangs up twice',
  scBlackhole: 'the router blackholes the connection mid-stream',

  // Check titles
  tSubscribesOnConnect: 'connects at once and sends SUB for every topic subscribed before the connection was made',
  tSubscribeWhileConnected: 'subscribe() while connected sends SUB at once',
  tResubscribes: 'every reconnect sends SUB again for every topic subscribed so far',
  tDelivers: 'every MSG line reaches the listeners, across reconnects, however the bytes were split',
  tHeartbeats: 'while connected, sends PING every heartbeatMs',
  tDeadDetected: 'a blackholed connection is destroyed deadAfterMs after the last byte received, and the client reconnects',
  tBackoffGrows: 'while the server is down, attempts back off exponentially, capped at maxDelayMs',
  tBackoffResets: 'after a connection that succeeded, the backoff starts again from minDelayMs',
  tOneConnection: 'at most one connection open or being opened at any time',
  tSurvives: 'never crashes on a socket error (refused, reset)',
  tCloseStops: 'close() ends the connection (FIN) and no SYN leaves afterwards',
  tCloseLetsExit: 'after close() no timer or socket keeps the process alive',

  // What the process did
  stillRunning: 'the process was still running',
  threw: (error: string) => `createReconnectingClient() or a method of its client threw (${error})`,
  beforeClose: (outcome: string) => `${outcome} before close() was called`,

  // Where the scenario got stuck
  neverConnected: 'your host never connected',
  neverAfterRestart: 'after the server came back, your host never connected again',
  neverAfterHangUp: 'after the server hung up, your host never connected again',
  neverAfterBlackhole: 'your host never connected again after the blackhole',

  // A crash, in either scenario
  crashIn: (p: { scenario: string; what: string }) => `in the ${p.scenario} scenario ${p.what}.`,
  crashInListen: (p: { scenario: string; what: string }) =>
    `in the ${p.scenario} scenario ${p.what}. Attach an 'error' listener to every socket you create: refused and reset connections are normal here.`,

  // A list of words
  both: (items: string[]) => items.join(' and '),
  noSubLine: 'no SUB line',

  // subscribes-on-connect
  noFirstConnection: (p: { port: number; outcome: string }) =>
    `the server at port ${p.port} saw no connection from your host (${p.outcome}): connect with net.connect() as soon as the client is created.`,
  firstMissing: (p: { sent: string; missing: string }) =>
    `the first connection sent ${p.sent}, but the topics ${p.missing} were subscribed before it connected: ` +
    `remember the topics, and on 'connect' write "SUB <topic>\\n" for each.`,
  firstLate: (elapsed: string) => `the first connection came ${elapsed} after the process started: connect at once.`,
  subscribesOk: 'the first connection of each scenario sent SUB for every topic subscribed so far',

  // subscribe-while-connected
  noConnection: 'no connection',
  stuckWith: (p: { what: string; outcome: string }) => `${p.what} (${p.outcome}).`,
  lateNotSent: (p: { topic: string; lived: string }) =>
    `subscribe('${p.topic}') was called while connected, and the open connection never carried "SUB ${p.topic}" (it lived ${p.lived} more): ` +
    `when the socket is connected, write the SUB line at once — not only on the next connect.`,
  lateOk: (p: { topic: string; after: string }) => `"SUB ${p.topic}" reached the server ${p.after} after subscribe() on the open connection`,

  // resubscribes-after-reconnect
  resubMissing: (p: { scenario: string; port: number; sent: string; missing: string }) =>
    `in the ${p.scenario} scenario a reconnection (from port ${p.port}) sent ${p.sent}, missing ${p.missing}: ` +
    `a new connection is a new session — the server knows nothing of the old one. Send SUB for every topic on every 'connect'.`,
  neverReconnected: (why: string) => `your host never connected again after a connection was lost (${why}): nothing to judge.`,
  resubOk: (n: number) => `each of the ${n} reconnections sent SUB for every topic subscribed so far`,

  // delivers-messages
  noPublish: (why: string) => `no message could be published: ${why}.`,
  junk: (list: string) =>
    `your listener was called with ${list}, which the server never sent as such: ` +
    `TCP is a byte stream, not a message stream — keep the unfinished end of each chunk and split on "\\n"; a MSG line is "MSG <topic> <payload>".`,
  missingMessages: (p: { count: number; list: string }) =>
    `the server sent ${p.count} MSG lines (two in one segment, one split across two segments, others after reconnects); your listener never got ${p.list}. ` +
    `Buffer the bytes until "\\n", parse each whole line, and keep the listeners across reconnects.`,
  deliversOk: (count: number) => `all ${count} MSG lines reached the listener, including one split across two segments and two sharing one`,

  // heartbeats
  noConnToJudge: (outcome: string) => `no connection to judge (${outcome}).`,
  fewPings: (p: { span: string; h: string; count: number }) =>
    `the connection was open for ${p.span} with heartbeatMs ${p.h}, and the server got ${p.count} PING line(s): ` +
    `while connected, write "PING\\n" every heartbeatMs (setInterval, cleared on 'close'). Without it a dead peer goes unnoticed.`,
  manyPings: (p: { count: number; span: string; h: string }) =>
    `the server got ${p.count} PINGs in ${p.span} with heartbeatMs ${p.h}: send one per heartbeatMs, not more.`,
  pingGap: (p: { med: string; h: string }) => `PINGs came every ${p.med} (median) with heartbeatMs ${p.h}: send one every heartbeatMs.`,
  pingsOk: (p: { count: number; span: string; med: string; h: string }) =>
    `${p.count} PINGs in ${p.span}, one every ${p.med} (median; heartbeatMs ${p.h})`,

  // dead-connection-detected
  neverBlackholed: (why: string) => `the flow was never blackholed: ${why}.`,
  noDataBefore: (outcome: string) => `no data from the server reached your host before the blackhole (${outcome}).`,
  neverNoticed: (p: { later: string; dead: string }) =>
    `the router dropped every packet of the connection; ${p.later} later your host had neither closed it nor opened another: ` +
    `a blackholed connection raises no error. Keep the time of the last byte received; when nothing has arrived for deadAfterMs (${p.dead}), destroy() the socket and reconnect.`,
  gaveUpEarly: (p: { after: string; dead: string }) =>
    `your host gave up on the connection only ${p.after} after the last byte it received (deadAfterMs ${p.dead}): wait for deadAfterMs of silence; every byte received restarts the count.`,
  gaveUpLate: (p: { after: string; dead: string }) =>
    `your host gave up on the connection ${p.after} after the last byte it received, long after deadAfterMs (${p.dead}): check the silence often (every heartbeat, say) and destroy() at once.`,
  noReconnectAfterDead: (silence: string) =>
    `your host closed the blackholed connection after ${silence} of silence but never reconnected: schedule a reconnect on 'close'.`,
  deadOk: (p: { after: string; dead: string }) =>
    `the blackholed connection was given up ${p.after} after the last byte received (deadAfterMs ${p.dead}), and a new connection was made`,

  // backoff-grows-capped
  neverKilled: (why: string) => `the server was never killed: ${why}.`,
  fewAttempts: (p: { down: string; tries: number }) =>
    `while the server was down for ${p.down}, your host tried ${p.tries} time(s): ` +
    `after a refused or failed attempt, schedule the next one after a backoff delay (on 'close'), again and again.`,
  noGrowth: (p: { down: string; attempts: number; biggest: string; min: string; gaps: string }) =>
    `while the server was down for ${p.down}, your host made ${p.attempts} attempts, never more than ${p.biggest} apart (minDelayMs ${p.min}; gaps ${p.gaps} ms): ` +
    `the delay must double after each failed attempt — min(maxDelayMs, minDelayMs * 2 ** (attempt - 1)), with jitter — or a fleet of clients hammers a server that is trying to come back.`,
  overCap: (p: { biggest: string; max: string; gaps: string }) =>
    `two attempts were ${p.biggest} apart (maxDelayMs ${p.max}; gaps ${p.gaps} ms): cap the delay at maxDelayMs, jitter included.`,
  backoffOk: (p: { attempts: number; gaps: string; min: string; max: string }) =>
    `${p.attempts} attempts while the server was down, gaps ${p.gaps} ms (minDelayMs ${p.min}, maxDelayMs ${p.max})`,

  // backoff-resets
  neverHungUpTwice: (why: string) => `the server never got to hang up twice: ${why}.`,
  noPeerFin: (port: number) => `the server hung up (FIN) but the router saw no FIN from it on port ${port}.`,
  noReconnectAfterHangUp: "after the server hung up, your host never connected again: reconnect on 'close'.",
  noReset: (p: { waits: string; min: string; max: string }) =>
    `the server came back and your host connected; when the server then hung up, the next attempt waited ${p.waits} (minDelayMs ${p.min}, maxDelayMs ${p.max}): ` +
    `reset the attempt count on every successful 'connect', so the next outage starts again from minDelayMs.`,
  resetOk: (p: { waits: string; min: string }) => `after each hang-up the next attempt came ${p.waits} later (minDelayMs ${p.min})`,

  // one-connection-at-a-time
  neverReconnectedRestart: (why: string) => `your host never reconnected in the restart scenario (${why}): nothing to judge.`,
  openedWhileOpen: (p: { port: number; other: number }) =>
    `your host opened a connection (from port ${p.port}) while another (from port ${p.other}) was still open or being opened: ` +
    `'error' is followed by 'close' — reconnect from one place ('close') and keep one socket at a time, or the connections multiply.`,
  twoOpen: (p: { a: number; b: number }) => `the server had two connections from your host open at once (ports ${p.a} and ${p.b}): keep one socket at a time.`,
  oneOk: (attempts: number) => `${attempts} connection attempts, never two at once`,

  // survives-socket-errors
  survivesOk: (refused: number) => `the process stayed up through the server's death, ${refused} refused attempts, and a blackhole`,

  // close-stops-everything
  closeNeverCalled: (p: { scenario: string; why: string }) => `close() was never called in the ${p.scenario} scenario: ${p.why}.`,
  synAfterClose: (p: { count: number; first: string }) =>
    `after close(), your host sent ${p.count} SYN(s), the first ${p.first} later: ` +
    `close() must cancel the pending reconnect timer and stop the 'close' handler from scheduling a new one (a "closed" flag).`,
  noFinOnClose: (port: number) => `after close(), the router saw no FIN or RST from your host on the open connection (port ${port}): end or destroy the socket in close().`,
  closeOk: 'close() ended the open connection and no SYN left afterwards',

  // close-lets-exit
  stillAlive: (later: string) =>
    `after close(), the process was still alive ${later} later, when we stopped it: ` +
    `clear the heartbeat interval, the dead-connection timer and the reconnect timer in close(), and destroy the socket.`,
  exitedBadly: (outcome: string) => `after close(), ${outcome}.`,
  exitOk: 'after close() the process exited by itself',
};

const vi: typeof en = {
  title: 'Client tự kết nối lại bền bỉ',
  part: 'Phần 10 — Client tự kết nối lại bền bỉ',

  scRestart: 'server bị kill, nằm im một lúc, sống lại, rồi chủ động ngắt kết nối hai lần',
  scBlackhole: 'router blackhole kết nối giữa chừng',

  tSubscribesOnConnect: 'kết nối ngay và gửi SUB cho mọi topic đã subscribe trước khi kết nối xong',
  tSubscribeWhileConnected: 'gọi subscribe() khi đang kết nối thì gửi SUB ngay',
  tResubscribes: 'mỗi lần reconnect đều gửi lại SUB cho mọi topic đã subscribe tới lúc đó',
  tDelivers: 'mọi dòng MSG đều tới được listener, qua các lần reconnect, dù các byte bị cắt thế nào',
  tHeartbeats: 'khi đang kết nối, gửi PING mỗi heartbeatMs',
  tDeadDetected: 'kết nối bị blackhole được destroy sau deadAfterMs tính từ byte cuối cùng nhận được, rồi client kết nối lại',
  tBackoffGrows: 'khi server chết, các lần thử backoff theo lũy thừa, có trần là maxDelayMs',
  tBackoffResets: 'sau một kết nối thành công, backoff bắt đầu lại từ minDelayMs',
  tOneConnection: 'tại mọi thời điểm có tối đa một kết nối đang mở hoặc đang mở dở',
  tSurvives: 'không bao giờ crash vì lỗi socket (bị refuse, bị reset)',
  tCloseStops: 'close() kết thúc kết nối (FIN) và sau đó không có SYN nào đi ra',
  tCloseLetsExit: 'sau close() không còn timer hay socket nào giữ process sống',

  stillRunning: 'process vẫn còn đang chạy',
  threw: (error) => `createReconnectingClient() hoặc một method của client nó trả về đã throw (${error})`,
  beforeClose: (outcome) => `${outcome} trước khi close() được gọi`,

  neverConnected: 'host của bạn chưa hề kết nối',
  neverAfterRestart: 'sau khi server sống lại, host của bạn không kết nối lại nữa',
  neverAfterHangUp: 'sau khi server ngắt kết nối, host của bạn không kết nối lại nữa',
  neverAfterBlackhole: 'sau vụ blackhole, host của bạn không kết nối lại nữa',

  crashIn: (p) => `trong scenario ${p.scenario}, ${p.what}.`,
  crashInListen: (p) =>
    `trong scenario ${p.scenario}, ${p.what}. Hãy gắn một listener 'error' cho mọi socket bạn tạo: kết nối bị refuse hay bị reset là chuyện bình thường ở đây.`,

  both: (items) => items.join(' và '),
  noSubLine: 'không có dòng SUB nào',

  noFirstConnection: (p) =>
    `server ở port ${p.port} không thấy kết nối nào từ host của bạn (${p.outcome}): hãy kết nối bằng net.connect() ngay khi client được tạo.`,
  firstMissing: (p) =>
    `kết nối đầu tiên đã gửi ${p.sent}, nhưng các topic ${p.missing} đã được subscribe trước khi nó kết nối xong: ` +
    `hãy nhớ các topic, và khi có 'connect' thì ghi "SUB <topic>\\n" cho từng topic.`,
  firstLate: (elapsed) => `kết nối đầu tiên tới ${elapsed} sau khi process khởi động: hãy kết nối ngay.`,
  subscribesOk: 'kết nối đầu tiên của mỗi scenario đã gửi SUB cho mọi topic đã subscribe tới lúc đó',

  noConnection: 'không có kết nối nào',
  stuckWith: (p) => `${p.what} (${p.outcome}).`,
  lateNotSent: (p) =>
    `subscribe('${p.topic}') được gọi khi đang kết nối, nhưng kết nối đang mở không hề chở "SUB ${p.topic}" (nó còn sống thêm ${p.lived}): ` +
    `khi socket đang kết nối, hãy ghi dòng SUB ngay — chứ không chỉ ở lần connect sau.`,
  lateOk: (p) => `"SUB ${p.topic}" tới server ${p.after} sau subscribe(), trên kết nối đang mở`,

  resubMissing: (p) =>
    `trong scenario ${p.scenario}, một lần kết nối lại (từ port ${p.port}) đã gửi ${p.sent}, thiếu ${p.missing}: ` +
    `kết nối mới là một session mới — server không biết gì về kết nối cũ. Hãy gửi SUB cho mọi topic ở mỗi lần 'connect'.`,
  neverReconnected: (why) => `host của bạn không kết nối lại sau khi mất kết nối (${why}): không có gì để chấm.`,
  resubOk: (n) => `cả ${n} lần kết nối lại đều gửi SUB cho mọi topic đã subscribe tới lúc đó`,

  noPublish: (why) => `không publish được message nào: ${why}.`,
  junk: (list) =>
    `listener của bạn được gọi với ${list}, thứ mà server chưa hề gửi như vậy: ` +
    `TCP là một dòng byte, không phải dòng message — hãy giữ lại phần đuôi chưa trọn của mỗi chunk và tách theo "\\n"; một dòng MSG có dạng "MSG <topic> <payload>".`,
  missingMessages: (p) =>
    `server đã gửi ${p.count} dòng MSG (hai dòng chung một segment, một dòng bị cắt làm hai segment, các dòng khác sau khi reconnect); listener của bạn không nhận được ${p.list}. ` +
    `Hãy buffer các byte cho tới "\\n", parse từng dòng trọn vẹn, và giữ các listener qua các lần reconnect.`,
  deliversOk: (count) => `cả ${count} dòng MSG đều tới listener, kể cả dòng bị cắt làm hai segment và hai dòng đi chung một segment`,

  noConnToJudge: (outcome) => `không có kết nối nào để chấm (${outcome}).`,
  fewPings: (p) =>
    `kết nối mở trong ${p.span} với heartbeatMs ${p.h}, và server nhận được ${p.count} dòng PING: ` +
    `khi đang kết nối, hãy ghi "PING\\n" mỗi heartbeatMs (setInterval, clear khi có 'close'). Không có nó thì một peer đã chết sẽ không ai hay biết.`,
  manyPings: (p) => `server nhận được ${p.count} PING trong ${p.span} với heartbeatMs ${p.h}: hãy gửi một cái mỗi heartbeatMs, không hơn.`,
  pingGap: (p) => `PING tới cách nhau ${p.med} (trung vị) với heartbeatMs ${p.h}: hãy gửi một cái mỗi heartbeatMs.`,
  pingsOk: (p) => `${p.count} PING trong ${p.span}, cứ ${p.med} một cái (trung vị; heartbeatMs ${p.h})`,

  neverBlackholed: (why) => `flow chưa hề bị blackhole: ${why}.`,
  noDataBefore: (outcome) => `không có dữ liệu nào từ server tới được host của bạn trước vụ blackhole (${outcome}).`,
  neverNoticed: (p) =>
    `router đã drop mọi packet của kết nối; ${p.later} sau đó host của bạn vẫn chưa đóng nó mà cũng chưa mở kết nối khác: ` +
    `kết nối bị blackhole không phát ra error nào. Hãy lưu thời điểm của byte cuối cùng nhận được; khi không có gì tới trong deadAfterMs (${p.dead}), hãy destroy() socket và reconnect.`,
  gaveUpEarly: (p) =>
    `host của bạn bỏ kết nối chỉ ${p.after} sau byte cuối cùng nó nhận được (deadAfterMs ${p.dead}): hãy chờ đủ deadAfterMs im lặng; mỗi byte nhận được lại bắt đầu đếm từ đầu.`,
  gaveUpLate: (p) =>
    `host của bạn bỏ kết nối ${p.after} sau byte cuối cùng nó nhận được, quá lâu sau deadAfterMs (${p.dead}): hãy kiểm tra sự im lặng thường xuyên (chẳng hạn mỗi heartbeat) và destroy() ngay.`,
  noReconnectAfterDead: (silence) =>
    `host của bạn đã đóng kết nối bị blackhole sau ${silence} im lặng nhưng không hề kết nối lại: hãy lên lịch reconnect khi có 'close'.`,
  deadOk: (p) => `kết nối bị blackhole đã bị bỏ ${p.after} sau byte cuối cùng nhận được (deadAfterMs ${p.dead}), và một kết nối mới đã được mở`,

  neverKilled: (why) => `server chưa hề bị kill: ${why}.`,
  fewAttempts: (p) =>
    `trong suốt ${p.down} server chết, host của bạn chỉ thử ${p.tries} lần: ` +
    `sau một lần thử bị refuse hay thất bại, hãy lên lịch lần kế tiếp sau một delay backoff (khi có 'close'), cứ thế lặp lại.`,
  noGrowth: (p) =>
    `trong suốt ${p.down} server chết, host của bạn thử ${p.attempts} lần, không bao giờ cách nhau quá ${p.biggest} (minDelayMs ${p.min}; các khoảng cách ${p.gaps} ms): ` +
    `delay phải gấp đôi sau mỗi lần thử thất bại — min(maxDelayMs, minDelayMs * 2 ** (attempt - 1)), có jitter — nếu không cả một đàn client sẽ dội bom server đang cố sống lại.`,
  overCap: (p) => `có hai lần thử cách nhau ${p.biggest} (maxDelayMs ${p.max}; các khoảng cách ${p.gaps} ms): hãy chặn delay ở maxDelayMs, tính cả jitter.`,
  backoffOk: (p) => `${p.attempts} lần thử khi server chết, các khoảng cách ${p.gaps} ms (minDelayMs ${p.min}, maxDelayMs ${p.max})`,

  neverHungUpTwice: (why) => `server chưa kịp ngắt kết nối hai lần: ${why}.`,
  noPeerFin: (port) => `server đã ngắt kết nối (FIN) nhưng router không thấy FIN nào từ nó trên port ${port}.`,
  noReconnectAfterHangUp: "sau khi server ngắt kết nối, host của bạn không kết nối lại nữa: hãy reconnect khi có 'close'.",
  noReset: (p) =>
    `server sống lại và host của bạn đã kết nối; rồi khi server ngắt kết nối, lần thử kế tiếp đã chờ ${p.waits} (minDelayMs ${p.min}, maxDelayMs ${p.max}): ` +
    `hãy reset số lần thử ở mỗi lần 'connect' thành công, để lần mất kết nối sau bắt đầu lại từ minDelayMs.`,
  resetOk: (p) => `sau mỗi lần bị ngắt kết nối, lần thử kế tiếp tới sau ${p.waits} (minDelayMs ${p.min})`,

  neverReconnectedRestart: (why) => `host của bạn không hề kết nối lại trong scenario restart (${why}): không có gì để chấm.`,
  openedWhileOpen: (p) =>
    `host của bạn mở một kết nối (từ port ${p.port}) trong khi một kết nối khác (từ port ${p.other}) vẫn đang mở hoặc đang mở dở: ` +
    `'error' luôn được theo sau bởi 'close' — hãy reconnect từ một chỗ duy nhất ('close') và chỉ giữ một socket tại một thời điểm, nếu không các kết nối sẽ sinh sôi.`,
  twoOpen: (p) => `server có cùng lúc hai kết nối đang mở từ host của bạn (port ${p.a} và ${p.b}): hãy chỉ giữ một socket tại một thời điểm.`,
  oneOk: (attempts) => `${attempts} lần thử kết nối, không bao giờ hai cái cùng lúc`,

  survivesOk: (refused) => `process vẫn sống qua lúc server chết, ${refused} lần thử bị refuse, và một vụ blackhole`,

  closeNeverCalled: (p) => `close() chưa hề được gọi trong scenario ${p.scenario}: ${p.why}.`,
  synAfterClose: (p) =>
    `sau close(), host của bạn đã gửi ${p.count} SYN, cái đầu tiên ${p.first} sau đó: ` +
    `close() phải hủy timer reconnect đang chờ và chặn handler 'close' lên lịch một timer mới (một cờ "closed").`,
  noFinOnClose: (port) =>
    `sau close(), router không thấy FIN hay RST nào từ host của bạn trên kết nối đang mở (port ${port}): hãy end hoặc destroy socket trong close().`,
  closeOk: 'close() đã kết thúc kết nối đang mở và sau đó không có SYN nào đi ra',

  stillAlive: (later) =>
    `sau close(), process vẫn còn sống ${later} sau đó, lúc chúng tôi dừng nó: ` +
    `hãy clear interval heartbeat, timer phát hiện kết nối chết và timer reconnect trong close(), và destroy socket.`,
  exitedBadly: (outcome) => `sau close(), ${outcome}.`,
  exitOk: 'sau close() process đã tự thoát',
};

export const m = catalogue(en, vi);
