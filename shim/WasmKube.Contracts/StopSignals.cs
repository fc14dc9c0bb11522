namespace WasmKube.Contracts;

/// <summary>
/// The signals an executor turns into a guest interruption: SIGHUP, SIGINT, SIGQUIT and SIGTERM (Linux numbers,
/// the same on x86_64 and aarch64). The shim spawns an executor with them blocked, and the executor unblocks them
/// once its handlers are in place: as init of its PID namespace it would otherwise lose one sent during start-up.
/// </summary>
public static class StopSignals
{
    public static IReadOnlyList<int> Numbers { get; } = [1, 2, 3, 15];
}
