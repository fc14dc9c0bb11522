using WasmKube.Executor;
using WasmKube.Guest.Cil;

return ExecutorMain.Run(args, "wasmkube-executor-cil", (cacheDirectory, meterFuel) => new CilGuestEngine(cacheDirectory, meterFuel));
