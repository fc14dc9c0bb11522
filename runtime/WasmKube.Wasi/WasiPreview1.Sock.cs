using WasmKube.Wasi.Abi;
using WasmKube.Wasi.Descriptors;

namespace WasmKube.Wasi;

// sock_* functions: the guest cannot create sockets, only use the listeners the host preopened and what they accept.
public sealed partial class WasiPreview1
{
    public Errno SockAccept(Span<byte> memory, int fd, int flags, int acceptedPointer)
    {
        var error = Lookup(fd, Rights.SockAccept, out var descriptor);
        if (error != Errno.Success) return error;
        if (descriptor is not SocketDescriptor { IsListener: true } listener) return Errno.NotSock;
        if ((flags & ~(int)FdFlags.NonBlock) != 0) return Errno.Inval;
        error = listener.Accept((FdFlags)flags, _context.Cancellation, out var accepted);
        if (error != Errno.Success) return error;
        new GuestMemory(memory).WriteU32(acceptedPointer, (uint)_context.Add(accepted!));
        return Errno.Success;
    }

    public Errno SockRecv(Span<byte> memory, int fd, int iovs, int iovsLength, int flags, int receivedPointer, int outFlagsPointer)
    {
        var error = Lookup(fd, Rights.FdRead, out var descriptor);
        if (error != Errno.Success) return error;
        if (descriptor is not SocketDescriptor socket) return Errno.NotSock;
        if ((flags & ~(int)(RiFlags.RecvPeek | RiFlags.RecvWaitall)) != 0) return Errno.Inval;
        var guest = new GuestMemory(memory);
        var peek = (flags & (int)RiFlags.RecvPeek) != 0;
        var vectors = guest.IoVecs(iovs, iovsLength);
        var total = 0u;
        for (var i = 0; i < vectors.Length / 8; i++)
        {
            var (pointer, length) = GuestMemory.IoVec(vectors, i);
            if (length == 0) continue;
            error = socket.Receive(guest.Slice(pointer, length), peek, out var received, _context.Cancellation);
            if (error != Errno.Success)
            {
                if (total > 0) break;
                return error;
            }

            total += (uint)received;
            break; // one receive, like recvmsg(2) without MSG_WAITALL; the guest asks again for more
        }

        guest.WriteU32(receivedPointer, total);
        guest.WriteU16(outFlagsPointer, 0);
        return Errno.Success;
    }

    public Errno SockSend(Span<byte> memory, int fd, int iovs, int iovsLength, int flags, int sentPointer)
    {
        var error = Lookup(fd, Rights.FdWrite, out var descriptor);
        if (error != Errno.Success) return error;
        if (descriptor is not SocketDescriptor) return Errno.NotSock;
        if (flags != 0) return Errno.Inval;
        return FdWrite(memory, fd, iovs, iovsLength, sentPointer);
    }

    public Errno SockShutdown(Span<byte> memory, int fd, int how)
    {
        // What the fd is comes before what it may do: a file is not a socket, whatever its rights.
        if (_context.Get(fd) is not { } descriptor) return Errno.BadF;
        if (descriptor is not SocketDescriptor socket) return Errno.NotSock;
        if ((descriptor.Base & Rights.SockShutdown) == 0) return Errno.NotCapable;
        if (how is < 1 or > 3) return Errno.Inval;
        return socket.Shutdown((SdFlags)how);
    }
}
