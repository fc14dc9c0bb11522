using WasmKube.Executor;
using WasmKube.Guest.Wasmtime;

return ExecutorMain.Run(args, "wasmkube-executor", (cacheDirectory, meterFuel) =>
    // One guest per process: a stopped guest ends with the process, so no interruption checks slow its loops.
    new WasmtimeGuestEngine(cacheDirectory, meterFuel, interruptible: false));
