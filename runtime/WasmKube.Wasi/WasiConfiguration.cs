using System.Net;
using System.Net.Sockets;

namespace WasmKube.Wasi;

/// <summary>
/// Builds a <see cref="WasiContext"/>. Nothing of the host is visible by default: no arguments, no environment
/// variables, no directories and no sockets; stdio goes nowhere until set (<see cref="InheritStdio"/>).
/// </summary>
public sealed class WasiConfiguration
{
    private readonly List<string> _args = [];
    private readonly List<KeyValuePair<string, string>> _environment = [];
    private readonly List<WasiPreopen> _preopens = [];
    private readonly List<Socket> _listeners = [];
    private readonly List<IPEndPoint> _listenEndpoints = [];

    public WasiStdio Stdin { get; private set; } = WasiStdio.Null;

    public WasiStdio Stdout { get; private set; } = WasiStdio.Null;

    public WasiStdio Stderr { get; private set; } = WasiStdio.Null;

    public IReadOnlyList<string> Args => _args;

    public IReadOnlyList<KeyValuePair<string, string>> Environment => _environment;

    public IReadOnlyList<WasiPreopen> Preopens => _preopens;

    public CancellationToken Cancellation { get; private set; }

    /// <summary>Off only in tests of the fallback resolver; the fallback is also taken when the kernel lacks openat2.</summary>
    internal bool UseOpenat2 { get; set; } = true;

    /// <summary>When set, <see cref="Build"/> refuses to run without openat2 rather than fall back to the path walk.</summary>
    public bool RequireOpenat2 { get; private set; }

    /// <summary>The guest's argv, program name first.</summary>
    public WasiConfiguration WithArgs(params IEnumerable<string> args)
    {
        foreach (var arg in args)
        {
            if (arg.Contains('\0')) throw new ArgumentException($"argument \"{arg}\" contains a NUL character, which C strings cannot hold", nameof(args));
            _args.Add(arg);
        }

        return this;
    }

    public WasiConfiguration WithEnvironment(string name, string value)
    {
        if (name.Length == 0 || name.Contains('=') || name.Contains('\0'))
            throw new ArgumentException($"environment variable name \"{name}\" is invalid: it must be non-empty without '=' or NUL", nameof(name));
        if (value.Contains('\0')) throw new ArgumentException($"environment variable {name} has a NUL character in its value", nameof(value));
        _environment.Add(new(name, value));
        return this;
    }

    /// <summary>
    /// Gives the guest <paramref name="hostPath"/> under <paramref name="guestPath"/>. A read-only preopen is opened
    /// read-only on the host and hands out no right that changes anything beneath it.
    /// </summary>
    public WasiConfiguration WithPreopenedDirectory(string hostPath, string guestPath, bool readOnly = false)
    {
        if (guestPath.Length == 0) throw new ArgumentException("the guest path of a preopened directory must not be empty (use \".\" or \"/name\")", nameof(guestPath));
        _preopens.Add(new WasiPreopen(hostPath, guestPath, readOnly));
        return this;
    }

    public WasiConfiguration WithStdin(WasiStdio stdin)
    {
        Stdin = stdin;
        return this;
    }

    public WasiConfiguration WithStdout(WasiStdio stdout)
    {
        Stdout = stdout;
        return this;
    }

    public WasiConfiguration WithStderr(WasiStdio stderr)
    {
        Stderr = stderr;
        return this;
    }

    public WasiConfiguration InheritStdio() => WithStdin(WasiStdio.Inherit).WithStdout(WasiStdio.Inherit).WithStderr(WasiStdio.Inherit);

    /// <summary>Preopens a listening socket the host created; the context owns it from now on.</summary>
    public WasiConfiguration WithListener(Socket listener)
    {
        _listeners.Add(listener);
        return this;
    }

    /// <summary>Binds and listens on <paramref name="endpoint"/> when the context is built (like <c>--tcplisten</c>).</summary>
    public WasiConfiguration WithTcpListener(IPEndPoint endpoint)
    {
        _listenEndpoints.Add(endpoint);
        return this;
    }

    /// <summary>
    /// Refuses to confine preopened directories by anything but the kernel: without openat2 (Linux before 5.6, or a
    /// seccomp profile that answers ENOSYS) <see cref="Build"/> throws <see cref="PlatformNotSupportedException"/>
    /// instead of falling back to the user-space path walk, and a lookup that meets ENOSYS later fails with ENOSYS.
    /// </summary>
    public WasiConfiguration WithRequireOpenat2(bool require = true)
    {
        RequireOpenat2 = require;
        return this;
    }

    /// <summary>Cancelling ends blocking waits (poll_oneoff, accept, reads) with an interrupt trap.</summary>
    public WasiConfiguration WithCancellation(CancellationToken cancellation)
    {
        Cancellation = cancellation;
        return this;
    }

    /// <summary>
    /// Opens the preopens and streams. Throws <see cref="DirectoryNotFoundException"/> for a missing directory and
    /// <see cref="PlatformNotSupportedException"/> when <see cref="RequireOpenat2"/> is set on a kernel without it.
    /// </summary>
    public WasiContext Build()
    {
        var listeners = new List<Socket>(_listeners);
        foreach (var endpoint in _listenEndpoints)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(endpoint);
                socket.Listen(128);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                foreach (var created in listeners.Except(_listeners)) created.Dispose();
                throw new IOException($"cannot listen on {endpoint}: {e.Message}", e);
            }

            listeners.Add(socket);
        }

        return new WasiContext(this, listeners);
    }
}
