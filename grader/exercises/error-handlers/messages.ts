/** error-handlers' words, in English and Vietnamese (grader/i18n.ts). */
import { catalogue } from '../../i18n.ts';

const en = {
  title: 'An echo server that survives its clients',
  part: 'Part 10 — Always attach an error handler',

  // Scenarios
  scEcho: 'two clients echo through the router',
  scClientReset: 'a client resets its connection mid-stream',
  scClientVanishes: 'a client vanishes while the server writes to it',
  scPortInUse: 'the port is already taken',

  // Check titles
  tResolves: 'resolves with the server once it is listening',
  tEchoes: 'echoes every byte back, in order, to every client',
  tSurvivesReset: 'survives a client that resets mid-stream (ECONNRESET) and keeps serving',
  tSurvivesVanished: 'survives a client that vanishes while it writes (EPIPE / ECONNRESET) and keeps serving',
  tPortInUse: 'port already in use: rejects with the EADDRINUSE error, no crash',
  tReports: 'reports socket errors with their code on stderr',

  // What happened to the client's connection (the scenario's fault)
  faultReset: 'the client sent data and reset its connection',
  faultRouterReset: (rejected: number) => `the router answered ${rejected} packet(s) of the server's with a reset, then the client reset its end`,
  faultQuiet: 'the server sent nothing more to the flooding client, which then reset its connection',
  rstCrossed: ' (the RST crossed the router)',

  // How startEchoServer's promise ended
  settledRejected: (error: string) => `startEchoServer rejected with ${error}`,
  settledResolved: 'startEchoServer resolved',
  crashedBeforeSettled: (error: string) => `the process crashed before startEchoServer settled (${error})`,
  exitedBeforeSettled: (p: { code: string; line: string }) => `the process exited with code ${p.code} before startEchoServer settled${p.line}`,
  settledPending: (limit: string) => `startEchoServer's promise was still pending after ${limit}`,

  // How the process ended
  diedUncaught: (error: string) => `your process exited with an uncaught ${error}`,
  diedExited: (p: { code: string; signal: string; line: string }) =>
    `your process exited (code ${p.code}${p.signal ? `, signal ${p.signal}` : ''})${p.line}`,

  // What came back to a client
  echoNeverFinished: 'the client never finished',
  echoAll: 'every byte came back',
  echoPartial: (p: { received: string; expected: string; within: string }) => `only ${p.received} of ${p.expected} bytes came back within ${p.within}`,
  echoFailedCounts: (p: { reason: string; received: string; expected: string }) => `${p.reason} (${p.received} of ${p.expected} bytes had come back)`,
  echoFailedDefault: 'the echo failed',
  // Why an echo failed (the client peer's words)
  reasonNotConnected: 'not connected',
  reasonTooMany: 'more bytes came back than were sent',
  reasonChanged: 'bytes came back changed',
  reasonClosed: 'the connection closed',
  reasonTimeout: 'timeout',
  reasonConnectFailed: (code: string) => `connect failed with ${code}`,
  reasonConnectNeverFinished: 'connect never finished',

  // A fault scenario's verdict
  notServedNothingTested: (settled: string) => `${settled}, so no client could be served and nothing could be tested.`,
  firstNotEchoed: (p: { echo: string; what: string }) => `the server did not echo to the first client (${p.echo}), so ${p.what} could not be tested.`,
  diedAfterFault: (p: { what: string; death: string; fix: string }) => `${p.what} and ${p.death}. ${p.fix}`,
  freshNotServed: (p: { what: string; echo: string }) =>
    `${p.what}; your process stayed up, but a new client was not served afterwards: ${p.echo}. ` +
    `Keep the server listening: only the broken socket should go.`,
  survivedOk: (fault: string) => `${fault}; the process stayed up and a new client was echoed`,

  // resolves-when-listening
  notResolved: (settled: string) => `${settled}. Resolve with the server from the 'listening' event (or listen()'s callback).`,
  notServer: 'the promise resolved with something that is not a net.Server: resolve with the server itself.',
  notYetListening:
    "the promise resolved before the server was listening (server.listening was false): resolve from the 'listening' event or listen()'s callback, not right after calling listen().",
  wrongPort: (p: { port: string; given: number }) => `the server is listening on port ${p.port}, not on the port it was given (${p.given}).`,
  listeningOk: (port: string) => `resolved with a listening server on port ${port}`,

  // echoes-every-byte
  notServed: (settled: string) => `${settled}, so no client could be served.`,
  cannotConnect: (p: { address: string; port: number; reason: string }) =>
    `a client on another host could not connect to ${p.address}:${p.port} (${p.reason}). ` +
    `Listen on the port and host you are given (with no host, on every interface).`,
  chunksFailed: (p: { echo: string; death: string }) =>
    `a client sent six chunks (1 B to 200 KB, 30 ms apart): ${p.echo}${p.death ? `, and ${p.death}` : ''}. ` +
    `Write back every 'data' chunk (socket.on('data', …), not once), or simply socket.pipe(socket).`,
  bigFailed: (p: { echo: string; death: string }) => `a client sent 1 MiB in one write: ${p.echo}${p.death ? `, and ${p.death}` : ''}.`,
  echoesOk: 'two clients at once: six chunks and 1 MiB came back byte for byte',

  // survives-client-reset, survives-vanished-client
  whatReset: 'a client sent data and then reset its connection (RST)',
  fixReset: "In Node an 'error' event without a listener is thrown: attach socket.on('error', …) to every accepted socket.",
  whatVanished: 'a client stopped reading and vanished while your server was still writing its echo',
  fixVanished:
    "The failed write surfaces as an 'error' event (EPIPE or ECONNRESET) on that socket: listen for it on every accepted socket, and let the socket go.",

  // port-in-use-rejects
  rejectedThenDied: (death: string) => `the promise rejected with EADDRINUSE, but then ${death}.`,
  inUseOk: 'rejected with EADDRINUSE and the process stayed up',
  crashedInsteadOfRejecting: (death: string) =>
    `the port was taken and ${death} instead of rejecting. listen() reports EADDRINUSE as an 'error' event on the server: ` +
    `listen for it (server.once('error', reject)) before calling listen().`,
  resolvedOnBusyPort: "the port was already taken, yet the promise resolved: wait for 'listening', and reject when the server emits 'error' instead.",
  codeLost: (p: { error: string; code: string }) =>
    `the promise rejected with ${p.error}: the message mentions EADDRINUSE but err.code is ${p.code ? `'${p.code}'` : 'missing'}. ` +
    `Callers branch on err.code: reject with the server's own error object, unchanged.`,
  busyOther: (settled: string) => `the port was already taken and ${settled}. Expected a rejection with Node's own EADDRINUSE error.`,

  // reports-socket-errors
  whenReset: 'the client reset',
  whenVanished: 'the client vanished',
  noErrorsToReport: (settled: string) => `${settled}, so there were no socket errors to report.`,
  firstNotEchoedNoError: (echo: string) =>
    `the server did not echo to the first client (${echo}), so no client could fail on it and there was no error to report.`,
  foundCodes: (p: { what: string; codes: string }) => `${p.what}: ${p.codes}`,
  crashedInsteadOfReporting: (p: { what: string; death: string }) =>
    `when ${p.what}, ${p.death} — it crashed instead of reporting the error. Log it from the socket's 'error' listener with its code (console.error).`,
  reportedTooEarly: (p: { what: string; early: string }) =>
    `when ${p.what}, nothing your program wrote to stderr after the fault named the error; ${p.early} appeared only before it. ` +
    `Log the error when it happens, from the socket's 'error' listener: console.error('client socket error:', err.code).`,
  reportedOnStdout: (what: string) => `when ${what}, the error code went to stdout, not stderr: report errors with console.error (or console.warn).`,
  notReported: (p: { what: string; expected: string[] }) =>
    `when ${p.what}, nothing on stderr named the error (expected ${p.expected.join(' or ')}). ` +
    `An empty error handler hides failures: log err.code with some context, e.g. console.error('client socket error:', err.code).`,
  reportedOk: (found: string[]) => `stderr named the errors (${found.join('; ')})`,
};

const vi: typeof en = {
  title: 'Một server echo sống sót trước client của nó',
  part: 'Phần 10 — Luôn gắn handler error',

  scEcho: 'hai client echo qua router',
  scClientReset: 'một client reset kết nối giữa chừng',
  scClientVanishes: 'một client biến mất trong lúc server đang ghi cho nó',
  scPortInUse: 'port đã bị chiếm',

  tResolves: 'resolve với server khi nó đã listen xong',
  tEchoes: 'echo lại mọi byte, đúng thứ tự, cho mọi client',
  tSurvivesReset: 'sống sót khi một client reset giữa chừng (ECONNRESET) và vẫn tiếp tục phục vụ',
  tSurvivesVanished: 'sống sót khi một client biến mất trong lúc server đang ghi (EPIPE / ECONNRESET) và vẫn tiếp tục phục vụ',
  tPortInUse: 'port đã bị chiếm: reject với error EADDRINUSE, không crash',
  tReports: 'ghi các lỗi socket kèm code của chúng ra stderr',

  faultReset: 'client đã gửi dữ liệu rồi reset kết nối',
  faultRouterReset: (rejected) => `router đã trả lời ${rejected} packet của server bằng reset, rồi client reset đầu kết nối của nó`,
  faultQuiet: 'server không gửi gì thêm cho client đang gửi dồn dữ liệu, rồi client đó reset kết nối',
  rstCrossed: ' (gói RST đã đi qua router)',

  settledRejected: (error) => `startEchoServer reject với ${error}`,
  settledResolved: 'startEchoServer đã resolve',
  crashedBeforeSettled: (error) => `process bị crash trước khi startEchoServer kết thúc (${error})`,
  exitedBeforeSettled: (p) => `process thoát với code ${p.code} trước khi startEchoServer kết thúc${p.line}`,
  settledPending: (limit) => `promise của startEchoServer vẫn còn pending sau ${limit}`,

  diedUncaught: (error) => `process của bạn đã thoát vì một exception không được bắt (${error})`,
  diedExited: (p) => `process của bạn đã thoát (code ${p.code}${p.signal ? `, signal ${p.signal}` : ''})${p.line}`,

  echoNeverFinished: 'client không bao giờ xong',
  echoAll: 'mọi byte đều quay về',
  echoPartial: (p) => `chỉ ${p.received} trên ${p.expected} byte quay về trong ${p.within}`,
  echoFailedCounts: (p) => `${p.reason} (${p.received} trên ${p.expected} byte đã quay về)`,
  echoFailedDefault: 'echo thất bại',
  reasonNotConnected: 'chưa kết nối',
  reasonTooMany: 'số byte quay về nhiều hơn số byte đã gửi',
  reasonChanged: 'các byte quay về đã bị thay đổi',
  reasonClosed: 'kết nối đã đóng',
  reasonTimeout: 'timeout',
  reasonConnectFailed: (code) => `connect thất bại với ${code}`,
  reasonConnectNeverFinished: 'connect không bao giờ xong',

  notServedNothingTested: (settled) => `${settled}, nên không client nào được phục vụ và không kiểm tra được gì.`,
  firstNotEchoed: (p) => `server không echo cho client đầu tiên (${p.echo}), nên không kiểm tra được trường hợp ${p.what}.`,
  diedAfterFault: (p) => `${p.what}, và ${p.death}. ${p.fix}`,
  freshNotServed: (p) =>
    `${p.what}; process của bạn vẫn sống, nhưng sau đó một client mới không được phục vụ: ${p.echo}. ` +
    `Hãy giữ server tiếp tục listen: chỉ socket bị hỏng mới phải bỏ đi.`,
  survivedOk: (fault) => `${fault}; process vẫn sống và một client mới vẫn được echo`,

  notResolved: (settled) => `${settled}. Hãy resolve với server từ event 'listening' (hoặc từ callback của listen()).`,
  notServer: 'promise resolve với một thứ không phải net.Server: hãy resolve với chính server.',
  notYetListening:
    "promise resolve trước khi server listen xong (server.listening là false): hãy resolve từ event 'listening' hoặc từ callback của listen(), đừng resolve ngay sau khi gọi listen().",
  wrongPort: (p) => `server đang listen trên port ${p.port}, không phải port được truyền vào (${p.given}).`,
  listeningOk: (port) => `đã resolve với một server đang listen trên port ${port}`,

  notServed: (settled) => `${settled}, nên không client nào được phục vụ.`,
  cannotConnect: (p) =>
    `một client trên host khác không connect được tới ${p.address}:${p.port} (${p.reason}). ` +
    `Hãy listen trên đúng port và host được truyền vào (không có host thì listen trên mọi interface).`,
  chunksFailed: (p) =>
    `một client gửi sáu mẩu dữ liệu (từ 1 B tới 200 KB, cách nhau 30 ms): ${p.echo}${p.death ? `, và ${p.death}` : ''}. ` +
    `Hãy ghi lại mọi mẩu 'data' (socket.on('data', …), đừng dùng once), hoặc đơn giản là socket.pipe(socket).`,
  bigFailed: (p) => `một client gửi 1 MiB trong một lần write: ${p.echo}${p.death ? `, và ${p.death}` : ''}.`,
  echoesOk: 'hai client cùng lúc: sáu mẩu dữ liệu và 1 MiB đều quay về đủ từng byte',

  whatReset: 'một client gửi dữ liệu rồi reset kết nối (RST)',
  fixReset: "Trong Node, một event 'error' không có listener sẽ bị throw: hãy gắn socket.on('error', …) cho mọi socket được accept.",
  whatVanished: 'một client ngừng đọc rồi biến mất trong lúc server của bạn vẫn đang ghi echo cho nó',
  fixVanished:
    "Lần write thất bại lộ ra thành một event 'error' (EPIPE hoặc ECONNRESET) trên socket đó: hãy nghe event đó trên mọi socket được accept, và cứ để socket đó mất đi.",

  rejectedThenDied: (death) => `promise đã reject với EADDRINUSE, nhưng sau đó ${death}.`,
  inUseOk: 'đã reject với EADDRINUSE và process vẫn sống',
  crashedInsteadOfRejecting: (death) =>
    `port đã bị chiếm và ${death} thay vì reject. listen() báo EADDRINUSE bằng một event 'error' trên server: ` +
    `hãy nghe event đó (server.once('error', reject)) trước khi gọi listen().`,
  resolvedOnBusyPort: "port đã bị chiếm, vậy mà promise vẫn resolve: hãy chờ 'listening', và reject khi server phát 'error'.",
  codeLost: (p) =>
    `promise reject với ${p.error}: message có nhắc EADDRINUSE nhưng err.code ${p.code ? `là '${p.code}'` : 'không có'}. ` +
    `Nơi gọi rẽ nhánh theo err.code: hãy reject với chính object error của server, không đổi gì.`,
  busyOther: (settled) => `port đã bị chiếm và ${settled}. Cần reject với chính error EADDRINUSE của Node.`,

  whenReset: 'client reset',
  whenVanished: 'client biến mất',
  noErrorsToReport: (settled) => `${settled}, nên không có lỗi socket nào để báo.`,
  firstNotEchoedNoError: (echo) =>
    `server không echo cho client đầu tiên (${echo}), nên không client nào có thể gặp lỗi trên nó và không có lỗi nào để báo.`,
  foundCodes: (p) => `${p.what}: ${p.codes}`,
  crashedInsteadOfReporting: (p) =>
    `khi ${p.what}, ${p.death} — nó crash thay vì báo lỗi. Hãy log lỗi từ listener 'error' của socket, kèm code của nó (console.error).`,
  reportedTooEarly: (p) =>
    `khi ${p.what}, không dòng nào chương trình của bạn ghi ra stderr sau sự cố nêu tên lỗi; ${p.early} chỉ xuất hiện trước đó. ` +
    `Hãy log lỗi ngay khi nó xảy ra, từ listener 'error' của socket: console.error('client socket error:', err.code).`,
  reportedOnStdout: (what) => `khi ${what}, error code đi ra stdout, không phải stderr: hãy báo lỗi bằng console.error (hoặc console.warn).`,
  notReported: (p) =>
    `khi ${p.what}, không có gì trên stderr nêu tên lỗi (cần ${p.expected.join(' hoặc ')}). ` +
    `Một handler error rỗng sẽ giấu mất sự cố: hãy log err.code kèm chút ngữ cảnh, ví dụ console.error('client socket error:', err.code).`,
  reportedOk: (found) => `stderr đã nêu tên các lỗi (${found.join('; ')})`,
};

export const m = catalogue(en, vi);
