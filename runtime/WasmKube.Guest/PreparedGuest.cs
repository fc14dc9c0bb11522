using System.Net.Sockets;
using WasmKube.Wasi;

namespace WasmKube.Guest;

/// <summary>A compiled guest waiting to run, or the reason it cannot (see <see cref="GuestHost.Prepare"/>).</summary>
public sealed class PreparedGuest : IDisposable
{
    private readonly IGuestEngine _engine;
    private readonly GuestRequest _request;
    private readonly GuestModule? _module;
    private readonly GuestResult? _refusal;
    private readonly TimeSpan _compileTime;

    internal PreparedGuest(IGuestEngine engine, GuestRequest request, GuestModule? module, GuestResult? refusal, TimeSpan compileTime)
    {
        _engine = engine;
        _request = request;
        _module = module;
        _refusal = refusal;
        _compileTime = compileTime;
    }

    /// <summary>Time to read and compile the module, or to load it from the engine's cache.</summary>
    public TimeSpan CompileTime => _compileTime;

    /// <summary>Builds the guest's WASI, instantiates and runs <c>_start</c> with the request's limits and deadlines.</summary>
    /// <param name="prepared">Sees the WASI context once built (its listener endpoints, its path-resolution mode).</param>
    public GuestResult Run(Action<WasiContext>? prepared = null)
    {
        if (_module is null) return _refusal!;
        if (!_module.ExportsStart)
        {
            return GuestHost.Refused(GuestExitCodes.InvalidModule,
                $"{_request.Name} exports no _start function: it is not a WASI command (a reactor or library cannot be run)", _compileTime);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_request.Stop);
        WasiContext context;
        try
        {
            context = _request.Wasi.WithCancellation(stop.Token).Build();
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or SocketException or PlatformNotSupportedException)
        {
            return GuestHost.Refused(GuestExitCodes.InvalidModule, $"cannot prepare the guest's WASI environment: {e.Message}", _compileTime);
        }

        GuestResult? result = null;
        try
        {
            prepared?.Invoke(context);
            result = GuestHost.Execute(_module, _request, context, stop, _compileTime, _engine.GuestThreadStackBytes);
            return result;
        }
        finally
        {
            // A guest still running keeps its descriptors: closed, their numbers could be reused under it.
            if (result is not { GuestStillRunning: true }) context.Dispose();
        }
    }

    public void Dispose() => _module?.Dispose();
}
