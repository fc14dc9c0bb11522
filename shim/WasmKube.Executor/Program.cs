using WasmKube.Executor;
using WasmKube.Guest.Wasmtime;

return ExecutorMain.Run(args, "wasmkube-executor", cacheDirectory => new WasmtimeGuestEngine(cacheDirectory));
