using System.Net.Sockets;
using System.Text;
using WasmKube.Wasi.Abi;
using WasmKube.Wasi.Descriptors;
using WasmKube.Wasi.Native;

namespace WasmKube.Wasi;

/// <summary>
/// The state one guest's WASI functions share: argv, environment, the fd table (stdio at 0–2, then the preopened
/// directories, then the preopened listeners) and the clocks. Built by <see cref="WasiConfiguration"/>; disposing
/// closes every host fd the guest still holds.
/// </summary>
public sealed unsafe class WasiContext : IDisposable
{
    private readonly SortedDictionary<int, Descriptor> _fds = [];

    internal WasiContext(WasiConfiguration configuration, IReadOnlyList<Socket> listeners)
    {
        Args = [.. configuration.Args.Select(a => Encoding.UTF8.GetBytes(a))];
        Environment = [.. configuration.Environment.Select(e => Encoding.UTF8.GetBytes($"{e.Key}={e.Value}"))];
        Cancellation = configuration.Cancellation;
        Resolver = new PathResolver(configuration.UseOpenat2, walkAllowed: !configuration.RequireOpenat2);
        try
        {
            _fds[0] = OpenStdio(configuration.Stdin, 0);
            _fds[1] = OpenStdio(configuration.Stdout, 1);
            _fds[2] = OpenStdio(configuration.Stderr, 2);
            foreach (var preopen in configuration.Preopens) Add(OpenPreopen(preopen));
            ProbeResolver();
            if (!Resolver.Available)
                throw new PlatformNotSupportedException("openat2 is not available (Linux before 5.6, or refused by a seccomp profile) and the configuration requires it (RequireOpenat2): preopened directories are not confined by the user-space path walk; run on Linux 5.6 or later, allow openat2, or drop the requirement");
            foreach (var listener in listeners) Add(new SocketDescriptor(listener, listener: true));
            ListenerEndpoints = [.. listeners.Select(l => l.LocalEndPoint).OfType<System.Net.IPEndPoint>()];
        }
        catch
        {
            Dispose();
            foreach (var listener in listeners) listener.Dispose();
            throw;
        }
    }

    /// <summary>NUL-free UTF-8 argv entries.</summary>
    internal IReadOnlyList<byte[]> Args { get; }

    /// <summary>NUL-free UTF-8 "NAME=value" entries.</summary>
    internal IReadOnlyList<byte[]> Environment { get; }

    internal CancellationToken Cancellation { get; }

    internal PathResolver Resolver { get; }

    /// <summary>True when path resolution is enforced by the kernel (openat2); false on the component-walking fallback.</summary>
    public bool KernelEnforcedPaths => Resolver.KernelEnforced;

    /// <summary>Where the preopened listeners are bound (the real port when 0 was asked for).</summary>
    public IReadOnlyList<System.Net.IPEndPoint> ListenerEndpoints { get; } = [];

    /// <summary>Guest fd numbers currently open, for diagnostics.</summary>
    public IReadOnlyCollection<int> OpenDescriptors => _fds.Keys;

    internal Descriptor? Get(int fd) => _fds.GetValueOrDefault(fd);

    internal int Add(Descriptor descriptor)
    {
        // The lowest free number, as POSIX open(2) picks it.
        var fd = 0;
        while (_fds.ContainsKey(fd)) fd++;
        _fds[fd] = descriptor;
        return fd;
    }

    internal bool Remove(int fd, out Descriptor? descriptor) => _fds.Remove(fd, out descriptor);

    internal void Set(int fd, Descriptor descriptor) => _fds[fd] = descriptor;

    public void Dispose()
    {
        foreach (var descriptor in _fds.Values) descriptor.Dispose();
        _fds.Clear();
    }

    /// <summary>
    /// One lookup up front (beneath the first preopen, or else the working directory), so that
    /// <see cref="KernelEnforcedPaths"/> is known, and a missing openat2 refused, before the guest runs.
    /// </summary>
    private void ProbeResolver()
    {
        var directory = _fds.Values.OfType<HostDescriptor>().FirstOrDefault(d => d.PreopenName is not null)?.Fd ?? HostCalls.AtFdCwd;
        if (Resolver.Open(directory, "."u8, HostCalls.OPath | HostCalls.ODirectory, 0, out var probe) == Errno.Success) HostCalls.Close(probe);
    }

    private static Descriptor OpenStdio(WasiStdio stdio, int number)
    {
        var input = number == 0;
        var rights = (input ? Rights.FdRead : Rights.FdWrite) | Rights.FdFdstatSetFlags | Rights.FdFilestatGet | Rights.PollFdReadwrite;
        switch (stdio)
        {
            case WasiStdio.StreamStdio s:
                return new StreamDescriptor(s.Target, ownsStream: false, rights);
            case WasiStdio.InheritedStdio:
            {
                // A duplicate, so that the guest closing its stdout leaves the host's open.
                var fd = HostCalls.Dup(number);
                if (fd < 0) throw new IOException($"cannot share host fd {number} with the guest: {ErrnoMap.Last()}");
                return HostStream(fd, rights);
            }

            case WasiStdio.PathStdio p:
            {
                var flags = input ? HostCalls.ORdOnly : HostCalls.OWrOnly | HostCalls.OCreat | (p.Append ? HostCalls.OAppend : HostCalls.OTrunc);
                var path = HostCalls.CString(p.Path);
                int fd;
                fixed (byte* c = path)
                {
                    fd = HostCalls.Openat(HostCalls.AtFdCwd, c, flags | HostCalls.OCloExec, 0x1a4 /* 0644 */);
                }

                if (fd < 0) throw new IOException($"cannot open {p.Path} for the guest's {(input ? "stdin" : number == 1 ? "stdout" : "stderr")}: {ErrnoMap.Last()}");
                return HostStream(fd, rights);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(stdio));
        }
    }

    private static HostDescriptor HostStream(int fd, Rights rights)
    {
        HostDescriptor.Stat(fd, ""u8, HostCalls.AtEmptyPath, out var stat);
        // wasi-libc's isatty() wants a character device without seek rights; other streams report what they are.
        var type = HostCalls.IsATty(fd) == 1 ? FileType.CharacterDevice : stat.Type;
        if (type == FileType.RegularFile) rights |= Rights.FdSeek | Rights.FdTell;
        return new HostDescriptor(fd, type, rights, Rights.None, readOnly: false);
    }

    private HostDescriptor OpenPreopen(WasiPreopen preopen)
    {
        var path = HostCalls.CString(Path.GetFullPath(preopen.HostPath));
        int fd;
        fixed (byte* c = path)
        {
            fd = HostCalls.Openat(HostCalls.AtFdCwd, c, HostCalls.ORdOnly | HostCalls.ODirectory | HostCalls.OCloExec, 0);
        }

        if (fd < 0)
        {
            var error = ErrnoMap.Last();
            throw new DirectoryNotFoundException(error == Errno.NotDir
                ? $"cannot preopen {preopen.HostPath} as {preopen.GuestPath}: it is not a directory"
                : $"cannot preopen {preopen.HostPath} as {preopen.GuestPath}: {Describe(error)}");
        }

        var rights = preopen.ReadOnly ? Rights.DirectoryReadOnly : Rights.DirectoryAll;
        var inheriting = preopen.ReadOnly ? Rights.DirectoryReadOnly | Rights.FileReadOnly : Rights.DirectoryAll | Rights.FileAll;
        return new HostDescriptor(fd, FileType.Directory, rights, inheriting, preopen.ReadOnly)
        {
            PreopenName = Encoding.UTF8.GetBytes(preopen.GuestPath),
        };
    }

    private static string Describe(Errno error) => error switch
    {
        Errno.NoEnt => "no such directory",
        Errno.Access => "permission denied",
        _ => error.ToString(),
    };
}
