using System.Net.Sockets;
using WasmKube.Wasi.Abi;
using WasmKube.Wasi.Native;

namespace WasmKube.Wasi.Descriptors;

/// <summary>A TCP socket: a listener preopened by the host, or a connection the guest accepted from one.</summary>
internal sealed class SocketDescriptor : Descriptor
{
    public SocketDescriptor(Socket socket, bool listener)
    {
        Socket = socket;
        IsListener = listener;
        Type = FileType.SocketStream;
        Base = listener ? Rights.Listener : Rights.Socket;
    }

    public Socket Socket { get; }

    public bool IsListener { get; }

    public override int PollHandle => (int)Socket.Handle;

    private bool Blocking => (Flags & FdFlags.NonBlock) == 0;

    public Errno Accept(FdFlags flags, CancellationToken cancellation, out SocketDescriptor? accepted)
    {
        accepted = null;
        if (!IsListener) return Errno.Inval;
        if (Blocking && (flags & FdFlags.NonBlock) == 0) Readiness.Wait(PollHandle, HostCalls.PollIn, cancellation);
        else if (!Socket.Poll(0, SelectMode.SelectRead)) return Errno.Again;
        try
        {
            var connection = Socket.Accept();
            accepted = new SocketDescriptor(connection, false) { Flags = flags & FdFlags.NonBlock };
            return Errno.Success;
        }
        catch (SocketException e)
        {
            return ErrnoMap.FromSocket(e.SocketErrorCode);
        }
    }

    public Errno Receive(Span<byte> buffer, bool peek, out int received, CancellationToken cancellation)
    {
        received = 0;
        if (IsListener) return Errno.NotConn;
        // The host socket stays blocking; readiness is checked first so a non-blocking guest gets EAGAIN as from recv(2).
        if (Blocking) Readiness.Wait(PollHandle, HostCalls.PollIn, cancellation);
        else if (!Socket.Poll(0, SelectMode.SelectRead)) return Errno.Again;
        received = Socket.Receive(buffer, peek ? SocketFlags.Peek : SocketFlags.None, out var error);
        return ErrnoMap.FromSocket(error);
    }

    public Errno Send(ReadOnlySpan<byte> data, out int sent, CancellationToken cancellation)
    {
        sent = 0;
        if (IsListener) return Errno.NotConn;
        if (Blocking) Readiness.Wait(PollHandle, HostCalls.PollOut, cancellation);
        else if (!Socket.Poll(0, SelectMode.SelectWrite)) return Errno.Again;
        sent = Socket.Send(data, SocketFlags.None, out var error);
        return ErrnoMap.FromSocket(error);
    }

    public Errno Shutdown(SdFlags how)
    {
        if (IsListener) return Errno.NotConn;
        var mode = how switch
        {
            SdFlags.Rd => SocketShutdown.Receive,
            SdFlags.Wr => SocketShutdown.Send,
            _ => SocketShutdown.Both,
        };
        try
        {
            Socket.Shutdown(mode);
            return Errno.Success;
        }
        catch (SocketException e)
        {
            return ErrnoMap.FromSocket(e.SocketErrorCode);
        }
    }

    public override Errno Read(Span<byte> buffer, out int read, CancellationToken cancellation) =>
        Receive(buffer, false, out read, cancellation);

    public override Errno Write(ReadOnlySpan<byte> data, out int written, CancellationToken cancellation) =>
        Send(data, out written, cancellation);

    public override void Dispose() => Socket.Dispose();
}
