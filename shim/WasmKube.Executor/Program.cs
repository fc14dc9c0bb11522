using WasmKube.Executor;
using WasmKube.Guest.Wasmtime;

return ExecutorMain.Run(args, "wasmkube-executor", (cacheDirectory, meterFuel) => new WasmtimeGuestEngine(cacheDirectory, meterFuel));
