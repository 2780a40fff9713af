/** graceful-shutdown's words, in English and Vietnamese (grader/i18n.ts). */
import { catalogue } from '../../i18n.ts';

const en = {
  title: 'Graceful shutdown of an HTTP server',
  part: 'Part 9 — Graceful shutdown',

  // Scenarios (their English is also in scenarios.ts; index.ts gives them these titles)
  scDrain: 'SIGTERM with requests in flight and keep-alive connections open',
  scInterrupt: 'SIGINT with a request in flight',
  scDeadline: 'SIGTERM while work outlasts SHUTDOWN_TIMEOUT_MS',
  scDeadlineDefault: 'SIGTERM while work outlasts the default deadline (SHUTDOWN_TIMEOUT_MS not set)',

  // Check titles
  tServes: 'serves GET /work?ms=N ("done" after N ms) and every other path ("ok")',
  tRefuses: 'after the signal, new connections are refused while the drain goes on',
  tInFlight: 'requests in flight at the signal finish with their normal response',
  tIdle: 'idle keep-alive connections are closed soon after the signal',
  tToldToClose: 'a keep-alive connection in use is answered with Connection: close, then closed',
  tExits: 'exits with code 0 as soon as the drain is done',
  tSigint: 'SIGINT (Ctrl-C) starts the same graceful shutdown',
  tForced: 'work still running at SHUTDOWN_TIMEOUT_MS: exits with code 1 at that deadline',
  tForcedDefault: (seconds: number) => `SHUTDOWN_TIMEOUT_MS not set: the default deadline (${seconds} s) applies`,

  // What a response said
  nothing: 'nothing',
  connNone: '(none)',

  // How the process ended ("the process …")
  exitWatching: 'was still running when we stopped watching',
  exitWhen: (p: { after: string; signal: string }) => ` ${p.after} after ${p.signal}`,
  exitKilledBySelf: (p: { signal: string; after: string }) => `was killed by the ${p.signal} itself ${p.after} later (nothing handles it)`,
  exitKilledBy: (p: { signal: string; when: string }) => `was killed by ${p.signal}${p.when}`,
  exitedCode: (p: { code: string; when: string }) => `exited with code ${p.code}${p.when}`,
  processPhrase: (exit: string) => `the process ${exit}.`,

  // The server never answered
  noShutdownToJudge: 'so there was no shutdown to judge',
  portInPORT: 'the port given in PORT',
  exitedBeforeServing: (p: { code: string; signal: string; line: string }) =>
    `the process exited with code ${p.code}${p.signal ? ` (${p.signal})` : ''} before serving${p.line}`,
  listenHint: 'listen on process.env.PORT, on every address (no host, or 0.0.0.0)',
  nothingAnswered: (p: { port: number; what: string; why: string }) => `nothing answered GET / on port ${p.port}, ${p.what} — ${p.why}`,

  // serves-routes
  rootAnswered: (says: string) => `GET / answered ${says}; expected 200 "ok".`,
  otherAnswered: (p: { path: string; says: string }) => `GET ${p.path} answered ${p.says}; every path other than /work answers 200 "ok".`,
  timedAnswered: (p: { workMs: number; says: string }) => `GET /work?ms=${p.workMs} answered ${p.says}; expected 200 "done".`,
  timedTook: (p: { workMs: number; took: string }) =>
    `GET /work?ms=${p.workMs} was answered after ${p.took}: it should take ms=${p.workMs} milliseconds.`,
  servesOk: (p: { path: string; workMs: number; took: string }) =>
    `GET / and GET ${p.path} answered 200 "ok"; GET /work?ms=${p.workMs} answered "done" after ${p.took}`,

  // refuses-new-connections
  andAnswered: (says: string) => ` (and answered ${says})`,
  lateAccepted: (p: { after: string; answered: string }) =>
    `a new connection ${p.after} after SIGTERM was accepted${p.answered}. ` +
    `Stop listening the moment the signal arrives — server.close() — so new clients are refused and go elsewhere.`,
  neitherConnectedNorFailed: 'our new connection during the drain neither connected nor failed.',
  refusedButGone: (p: { after: string; exit: string }) =>
    `our new connection ${p.after} after SIGTERM was refused, but the server answered nothing after that: the process ${p.exit}. ` +
    `Close the listener but keep the process running until the in-flight requests are answered.`,
  refusedWrongCode: (code: string) => `a new connection during the drain failed with ${code}, not ECONNREFUSED.`,
  refusalNotFromHost: (p: { syns: number; port: number; resets: number }) =>
    `our client got ECONNREFUSED, but the router saw ${p.syns} SYN(s) to port ${p.port} after the signal and ` +
    `${p.resets} reset(s) from the server: the refusal did not come from the learner host.`,
  refusedOk: (after: string) =>
    `a new connection ${after} after SIGTERM was refused (ECONNREFUSED; the router saw the SYN answered by RST) while the drain went on`,

  // in-flight-completes
  lostConnection: 'lost its connection without a response',
  gotNoResponse: 'got no response',
  inFlightUnanswered: (p: { workMs: number; what: string; exit: string }) =>
    `GET /work?ms=${p.workMs}, in flight when SIGTERM arrived, ${p.what}; ` +
    `the process ${p.exit}. Let in-flight requests finish before exiting — do not exit or destroy sockets on the signal.`,
  inFlightWrong: (p: { workMs: number; says: string }) =>
    `GET /work?ms=${p.workMs}, in flight when SIGTERM arrived, was answered ${p.says} instead of its normal 200 "done".`,
  inFlightOk: (after: string) => `both in-flight requests were answered 200 "done", the longer ${after} after SIGTERM`,

  // closes-idle-keepalive
  idleNeverClosed: (exit: string) =>
    `our idle keep-alive connection was never closed; the process ${exit}. ` +
    `Close idle keep-alive connections when the signal arrives (server.closeIdleConnections()).`,
  idleClosedBefore: (before: string) =>
    `our idle keep-alive connection was closed ${before} before the signal: keep idle connections open until shutdown.`,
  idleWentDown: (p: { after: string; exit: string }) =>
    `our idle keep-alive connection closed ${p.after} after SIGTERM, but the server answered nothing after that — it went down with the process, which ${p.exit}. ` +
    `Close idle connections as the drain starts, while in-flight requests are still running.`,
  idleStayedOpen: (after: string) =>
    `our idle keep-alive connection stayed open ${after} after SIGTERM, with nothing to do. ` +
    `Close idle keep-alive connections when the drain starts (server.closeIdleConnections(), or track sockets yourself).`,
  idleOk: (after: string) => `our idle keep-alive connection was closed ${after} after SIGTERM, while the drain went on`,

  // keepalive-told-to-close
  kaNoResponse: (exit: string) =>
    `the request in flight on our keep-alive connection got no response, so the connection never got to be told to close: ` +
    `the process ${exit}.`,
  kaKeptOpen: 'the in-flight response said Connection: close, but the server kept the connection open afterwards.',
  kaClosingOk: 'the in-flight response on the keep-alive connection said Connection: close, and the connection was closed',
  kaLostClosed: ', and the server closed the connection without answering it',
  kaLostNoAnswer: ' and got no answer',
  kaFollowUnanswered: (p: { connection: string; lost: string }) =>
    `the in-flight response said Connection: ${p.connection}, so we sent another request on the same connection` +
    `${p.lost}. ` +
    `During shutdown, answer requests on open connections (503, or the normal response) with Connection: close — ` +
    `a client cannot know a silent close was on purpose.`,
  kaFollowNotClosing: (p: { says: string; connection: string }) =>
    `after SIGTERM, a request on our open keep-alive connection was answered ${p.says} with Connection: ${p.connection}: ` +
    `a busy keep-alive client can hold the drain open forever. Answer it with Connection: close (503 or the normal response).`,
  kaFollowWrong: (says: string) => `after SIGTERM, a request on our keep-alive connection was answered ${says}: expected 503, or its normal 200 "done".`,
  kaFollowKeptOpen: (says: string) => `the server answered ${says} with Connection: close but kept the connection open afterwards.`,
  kaFollowOk: (p: { after: string; status: number }) =>
    `a request sent on our keep-alive connection ${p.after} after SIGTERM was answered ${p.status} ` +
    `with Connection: close, and the connection was closed`,

  // exits-after-drain
  exitNotADrain: (exit: string) => `the process ${exit}, before the in-flight request was answered: that is not a drain.`,
  exitStillRunning: (p: { last: string; later: string }) =>
    `the last request was answered ${p.last} after SIGTERM, but the process was still running ` +
    `${p.later} later. Exit once nothing is in flight — ` +
    `waiting for server.close()'s callback also waits for every idle keep-alive client.`,
  untilDeadline: (limit: number) => ` until the SHUTDOWN_TIMEOUT_MS deadline (${limit} ms)`,
  exitNonZero: (p: { exit: string; since: string; deadline: string }) =>
    `the process ${p.exit}, ${p.since} after the last request was answered — ` +
    `nothing was in flight any more, yet the drain did not end` +
    `${p.deadline}. ` +
    `What was it waiting for? Idle keep-alive connections, or busy ones never told to close?`,
  exitLate: (since: string) => `the process exited with code 0, but ${since} after the last request was answered: exit as soon as the drain is done.`,
  exitOk: (since: string) => `exited with code 0, ${since} after the last request was answered`,

  // sigint-drains
  wasAnswered: (says: string) => `was answered ${says}`,
  sigintUnanswered: (p: { workMs: number; outcome: string; exit: string }) =>
    `GET /work?ms=${p.workMs}, in flight when SIGINT arrived, ${p.outcome}; the process ${p.exit}. ` + `Handle SIGINT like SIGTERM.`,
  sigintBadExit: (exit: string) => `the in-flight request finished, but after SIGINT the process ${exit}; expected code 0 once drained.`,
  sigintLate: (after: string) =>
    `after SIGINT the process exited with code 0, but ${after} after the drain was done: exit as soon as nothing is in flight.`,
  sigintOk: (after: string) =>
    `after SIGINT the in-flight request was answered 200 "done" and the process exited with code 0 ${after} later`,

  // forced-exit-at-deadline, forced-exit-default
  settingUnset: (limit: number) => `SHUTDOWN_TIMEOUT_MS was not set, so the default of ${limit} ms applies,`,
  settingSet: (limit: number) => `SHUTDOWN_TIMEOUT_MS was ${limit}`,
  readDefault: (limit: number) => `When the variable is missing, use the default: Number(process.env.SHUTDOWN_TIMEOUT_MS ?? ${limit}).`,
  readEnv: 'Read it from the environment: the value changes from run to run.',
  forcedStillRunning: (p: { setting: string; work: string; later: string; signal: string; readIt: string }) =>
    `${p.setting} and a request needed ${p.work}; the process was still running ` +
    `${p.later} after ${p.signal}. Arm a timer for that deadline when the drain starts. ${p.readIt}`,
  forcedEarly: (p: { setting: string; exit: string; at: string; signal: string; readIt: string }) =>
    `${p.setting}; the process ${p.exit}, ${p.at} after ${p.signal}, with a request still running: give the drain the whole deadline. ${p.readIt}`,
  forcedLate: (p: { setting: string; exit: string; at: string; signal: string; readIt: string }) =>
    `${p.setting}; the process ${p.exit}, ${p.at} after ${p.signal}. ${p.readIt}`,
  forcedWrongCode: (p: { at: string; signal: string; code: string }) =>
    `the process gave up at the deadline (${p.at} after ${p.signal}) but exited with code ${p.code}: ` +
    `a forced exit cut work short and must say so with code 1.`,
  whichUnset: (limit: number) => `SHUTDOWN_TIMEOUT_MS not set: default ${limit} ms`,
  whichSet: (limit: number) => `SHUTDOWN_TIMEOUT_MS ${limit}`,
  forcedOk: (p: { at: string; signal: string; which: string }) =>
    `with a request still running, exited with code 1 ${p.at} after ${p.signal} (${p.which})`,
};

const vi: typeof en = {
  title: 'Graceful shutdown cho một HTTP server',
  part: 'Phần 9 — Graceful shutdown',

  scDrain: 'SIGTERM khi còn request đang xử lý và các kết nối keep-alive đang mở',
  scInterrupt: 'SIGINT khi còn một request đang xử lý',
  scDeadline: 'SIGTERM khi công việc kéo dài quá SHUTDOWN_TIMEOUT_MS',
  scDeadlineDefault: 'SIGTERM khi công việc kéo dài quá deadline mặc định (không đặt SHUTDOWN_TIMEOUT_MS)',

  tServes: 'phục vụ GET /work?ms=N ("done" sau N ms) và mọi path khác ("ok")',
  tRefuses: 'sau signal, kết nối mới bị từ chối trong khi quá trình drain vẫn tiếp diễn',
  tInFlight: 'các request đang xử lý lúc signal đến đều xong với response bình thường của chúng',
  tIdle: 'các kết nối keep-alive đang idle bị đóng ngay sau signal',
  tToldToClose: 'một kết nối keep-alive đang được dùng nhận câu trả lời có Connection: close, rồi bị đóng',
  tExits: 'thoát với code 0 ngay khi drain xong',
  tSigint: 'SIGINT (Ctrl-C) khởi động cùng quá trình graceful shutdown như SIGTERM',
  tForced: 'việc vẫn còn chạy khi hết SHUTDOWN_TIMEOUT_MS: thoát với code 1 đúng vào deadline đó',
  tForcedDefault: (seconds) => `không đặt SHUTDOWN_TIMEOUT_MS: áp dụng deadline mặc định (${seconds} s)`,

  nothing: '(không có gì)',
  connNone: '(không có)',

  exitWatching: 'vẫn còn chạy khi chúng tôi ngừng theo dõi',
  exitWhen: (p) => ` ${p.after} sau ${p.signal}`,
  exitKilledBySelf: (p) => `bị chính ${p.signal} giết ${p.after} sau đó (không có gì xử lý signal này)`,
  exitKilledBy: (p) => `bị ${p.signal} giết${p.when}`,
  exitedCode: (p) => `thoát với code ${p.code}${p.when}`,
  processPhrase: (exit) => `process ${exit}.`,

  noShutdownToJudge: 'nên không có lần shutdown nào để chấm',
  portInPORT: 'là port được cho trong PORT',
  exitedBeforeServing: (p) => `process thoát với code ${p.code}${p.signal ? ` (${p.signal})` : ''} trước khi phục vụ được gì${p.line}`,
  listenHint: 'hãy listen trên process.env.PORT, trên mọi địa chỉ (không truyền host, hoặc dùng 0.0.0.0)',
  nothingAnswered: (p) => `không có gì trả lời GET / trên port ${p.port}, ${p.what} — ${p.why}`,

  rootAnswered: (says) => `GET / trả về ${says}; cần 200 "ok".`,
  otherAnswered: (p) => `GET ${p.path} trả về ${p.says}; mọi path khác /work đều phải trả về 200 "ok".`,
  timedAnswered: (p) => `GET /work?ms=${p.workMs} trả về ${p.says}; cần 200 "done".`,
  timedTook: (p) => `GET /work?ms=${p.workMs} được trả lời sau ${p.took}: nó phải mất đúng ms=${p.workMs} mili giây.`,
  servesOk: (p) => `GET / và GET ${p.path} trả về 200 "ok"; GET /work?ms=${p.workMs} trả về "done" sau ${p.took}`,

  andAnswered: (says) => ` (và còn được trả lời ${says})`,
  lateAccepted: (p) =>
    `một kết nối mới ${p.after} sau SIGTERM vẫn được accept${p.answered}. ` +
    `Hãy ngừng listen ngay khi signal đến — server.close() — để client mới bị từ chối và chuyển sang nơi khác.`,
  neitherConnectedNorFailed: 'kết nối mới của chúng tôi trong lúc drain không kết nối được mà cũng không báo lỗi.',
  refusedButGone: (p) =>
    `kết nối mới của chúng tôi ${p.after} sau SIGTERM bị từ chối, nhưng sau đó server không trả lời gì nữa: process ${p.exit}. ` +
    `Hãy đóng listener nhưng giữ process chạy cho đến khi các request đang xử lý được trả lời.`,
  refusedWrongCode: (code) => `một kết nối mới trong lúc drain thất bại với ${code}, không phải ECONNREFUSED.`,
  refusalNotFromHost: (p) =>
    `client của chúng tôi nhận ECONNREFUSED, nhưng sau signal router thấy ${p.syns} SYN tới port ${p.port} và ` +
    `${p.resets} reset từ server: lời từ chối không đến từ máy learner.`,
  refusedOk: (after) =>
    `một kết nối mới ${after} sau SIGTERM bị từ chối (ECONNREFUSED; router thấy SYN được trả lời bằng RST) trong khi quá trình drain vẫn tiếp diễn`,

  lostConnection: 'bị mất kết nối mà không có response',
  gotNoResponse: 'không nhận được response',
  inFlightUnanswered: (p) =>
    `GET /work?ms=${p.workMs}, đang xử lý lúc SIGTERM đến, ${p.what}; ` +
    `process ${p.exit}. Hãy để các request đang xử lý chạy xong rồi mới thoát — đừng thoát hay destroy socket khi nhận signal.`,
  inFlightWrong: (p) => `GET /work?ms=${p.workMs}, đang xử lý lúc SIGTERM đến, được trả lời ${p.says} thay vì response bình thường 200 "done".`,
  inFlightOk: (after) => `cả hai request đang xử lý đều được trả lời 200 "done", request dài hơn xong ${after} sau SIGTERM`,

  idleNeverClosed: (exit) =>
    `kết nối keep-alive đang idle của chúng tôi không bao giờ bị đóng; process ${exit}. ` +
    `Hãy đóng các kết nối keep-alive đang idle khi signal đến (server.closeIdleConnections()).`,
  idleClosedBefore: (before) =>
    `kết nối keep-alive đang idle của chúng tôi bị đóng ${before} trước signal: hãy giữ các kết nối idle mở cho đến lúc shutdown.`,
  idleWentDown: (p) =>
    `kết nối keep-alive đang idle của chúng tôi bị đóng ${p.after} sau SIGTERM, nhưng sau đó server không trả lời gì nữa — kết nối chết theo process, mà process ${p.exit}. ` +
    `Hãy đóng các kết nối idle ngay khi drain bắt đầu, trong lúc các request đang xử lý vẫn còn chạy.`,
  idleStayedOpen: (after) =>
    `kết nối keep-alive đang idle của chúng tôi vẫn mở ${after} sau SIGTERM, dù không có việc gì để làm. ` +
    `Hãy đóng các kết nối keep-alive đang idle khi drain bắt đầu (server.closeIdleConnections(), hoặc tự theo dõi các socket).`,
  idleOk: (after) => `kết nối keep-alive đang idle của chúng tôi bị đóng ${after} sau SIGTERM, trong khi quá trình drain vẫn tiếp diễn`,

  kaNoResponse: (exit) =>
    `request đang xử lý trên kết nối keep-alive của chúng tôi không nhận được response, nên kết nối chưa kịp được báo đóng: ` +
    `process ${exit}.`,
  kaKeptOpen: 'response của request đang xử lý có Connection: close, nhưng sau đó server vẫn giữ kết nối mở.',
  kaClosingOk: 'response của request đang xử lý trên kết nối keep-alive có Connection: close, và kết nối đã được đóng',
  kaLostClosed: ', và server đã đóng kết nối mà không trả lời nó',
  kaLostNoAnswer: ' nhưng không nhận được câu trả lời',
  kaFollowUnanswered: (p) =>
    `response của request đang xử lý có Connection: ${p.connection}, nên chúng tôi gửi thêm một request trên cùng kết nối đó` +
    `${p.lost}. ` +
    `Trong lúc shutdown, hãy trả lời các request trên những kết nối đang mở (503, hoặc response bình thường) kèm Connection: close — ` +
    `client không thể biết một lần đóng im lặng là cố ý.`,
  kaFollowNotClosing: (p) =>
    `sau SIGTERM, một request trên kết nối keep-alive đang mở của chúng tôi được trả lời ${p.says} với Connection: ${p.connection}: ` +
    `một client keep-alive bận rộn có thể giữ quá trình drain mãi không xong. Hãy trả lời nó kèm Connection: close (503 hoặc response bình thường).`,
  kaFollowWrong: (says) => `sau SIGTERM, một request trên kết nối keep-alive của chúng tôi được trả lời ${says}: cần 503, hoặc response bình thường 200 "done".`,
  kaFollowKeptOpen: (says) => `server trả lời ${says} kèm Connection: close nhưng sau đó vẫn giữ kết nối mở.`,
  kaFollowOk: (p) =>
    `một request gửi trên kết nối keep-alive của chúng tôi ${p.after} sau SIGTERM được trả lời ${p.status} ` +
    `kèm Connection: close, và kết nối đã được đóng`,

  exitNotADrain: (exit) => `process ${exit}, trước khi request đang xử lý được trả lời: như vậy không phải là drain.`,
  exitStillRunning: (p) =>
    `request cuối cùng được trả lời ${p.last} sau SIGTERM, nhưng process vẫn còn chạy ` +
    `${p.later} sau đó. Hãy thoát khi không còn gì đang xử lý — ` +
    `chờ callback của server.close() cũng là chờ mọi client keep-alive đang idle.`,
  untilDeadline: (limit) => ` cho đến deadline SHUTDOWN_TIMEOUT_MS (${limit} ms)`,
  exitNonZero: (p) =>
    `process ${p.exit}, ${p.since} sau khi request cuối cùng được trả lời — ` +
    `không còn gì đang xử lý nữa, vậy mà quá trình drain vẫn không kết thúc` +
    `${p.deadline}. ` +
    `Nó đang chờ gì? Các kết nối keep-alive đang idle, hay những kết nối bận chưa bao giờ được báo đóng?`,
  exitLate: (since) => `process thoát với code 0, nhưng ${since} sau khi request cuối cùng được trả lời: hãy thoát ngay khi drain xong.`,
  exitOk: (since) => `thoát với code 0, ${since} sau khi request cuối cùng được trả lời`,

  wasAnswered: (says) => `được trả lời ${says}`,
  sigintUnanswered: (p) =>
    `GET /work?ms=${p.workMs}, đang xử lý lúc SIGINT đến, ${p.outcome}; process ${p.exit}. ` + `Hãy xử lý SIGINT giống như SIGTERM.`,
  sigintBadExit: (exit) => `request đang xử lý đã xong, nhưng sau SIGINT process ${exit}; cần thoát với code 0 khi drain xong.`,
  sigintLate: (after) =>
    `sau SIGINT process thoát với code 0, nhưng ${after} sau khi drain đã xong: hãy thoát ngay khi không còn gì đang xử lý.`,
  sigintOk: (after) => `sau SIGINT, request đang xử lý được trả lời 200 "done" và process thoát với code 0 ${after} sau đó`,

  settingUnset: (limit) => `không đặt SHUTDOWN_TIMEOUT_MS, nên áp dụng giá trị mặc định ${limit} ms`,
  settingSet: (limit) => `SHUTDOWN_TIMEOUT_MS là ${limit}`,
  readDefault: (limit) => `Khi không có biến này, hãy dùng giá trị mặc định: Number(process.env.SHUTDOWN_TIMEOUT_MS ?? ${limit}).`,
  readEnv: 'Hãy đọc nó từ môi trường: giá trị thay đổi theo từng lần chạy.',
  forcedStillRunning: (p) =>
    `${p.setting}, và một request cần ${p.work}; process vẫn còn chạy ` +
    `${p.later} sau ${p.signal}. Hãy đặt một timer cho deadline đó khi drain bắt đầu. ${p.readIt}`,
  forcedEarly: (p) =>
    `${p.setting}; process ${p.exit}, ${p.at} sau ${p.signal}, khi vẫn còn một request đang chạy: hãy để quá trình drain dùng hết deadline. ${p.readIt}`,
  forcedLate: (p) => `${p.setting}; process ${p.exit}, ${p.at} sau ${p.signal}. ${p.readIt}`,
  forcedWrongCode: (p) =>
    `process đã bỏ cuộc đúng deadline (${p.at} sau ${p.signal}) nhưng thoát với code ${p.code}: ` +
    `một lần buộc thoát đã cắt ngang công việc và phải báo điều đó bằng code 1.`,
  whichUnset: (limit) => `không đặt SHUTDOWN_TIMEOUT_MS: mặc định ${limit} ms`,
  whichSet: (limit) => `SHUTDOWN_TIMEOUT_MS là ${limit}`,
  forcedOk: (p) => `khi vẫn còn một request đang chạy, process thoát với code 1 ${p.at} sau ${p.signal} (${p.which})`,
};

export const m = catalogue(en, vi);
