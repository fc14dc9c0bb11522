using WasmKube.Executor;
using WasmKube.Guest.Cil;

return ExecutorMain.Run(args, "wasmkube-executor-cil", cacheDirectory => new CilGuestEngine(cacheDirectory));
