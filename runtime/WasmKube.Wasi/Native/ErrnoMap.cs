using System.Net.Sockets;
using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Native;

/// <summary>Translates Linux errno values (asm-generic/errno*.h) and .NET socket errors into WASI errno.</summary>
internal static class ErrnoMap
{
    public static Errno FromLinux(int error) => error switch
    {
        0 => Errno.Success,
        1 => Errno.Perm, 2 => Errno.NoEnt, 3 => Errno.Srch, 4 => Errno.Intr, 5 => Errno.Io, 6 => Errno.NxIo,
        7 => Errno.TooBig, 8 => Errno.NoExec, 9 => Errno.BadF, 10 => Errno.Child, 11 => Errno.Again,
        12 => Errno.NoMem, 13 => Errno.Access, 14 => Errno.Fault, 16 => Errno.Busy, 17 => Errno.Exist,
        18 => Errno.XDev, 19 => Errno.NoDev, 20 => Errno.NotDir, 21 => Errno.IsDir, 22 => Errno.Inval,
        23 => Errno.NFile, 24 => Errno.MFile, 25 => Errno.NotTy, 26 => Errno.TxtBsy, 27 => Errno.FBig,
        28 => Errno.NoSpc, 29 => Errno.SPipe, 30 => Errno.RoFs, 31 => Errno.MLink, 32 => Errno.Pipe,
        33 => Errno.Dom, 34 => Errno.Range, 35 => Errno.DeadLk, 36 => Errno.NameTooLong, 37 => Errno.NoLck,
        38 => Errno.NoSys, 39 => Errno.NotEmpty, 40 => Errno.Loop, 42 => Errno.NoMsg, 43 => Errno.IdRm,
        67 => Errno.NoLink, 71 => Errno.Proto, 72 => Errno.Multihop, 74 => Errno.BadMsg, 75 => Errno.Overflow,
        84 => Errno.IlSeq, 88 => Errno.NotSock, 89 => Errno.DestAddrReq, 90 => Errno.MsgSize,
        91 => Errno.ProtoType, 92 => Errno.NoProtoOpt, 93 => Errno.ProtoNoSupport, 95 => Errno.NotSup,
        97 => Errno.AfNoSupport, 98 => Errno.AddrInUse, 99 => Errno.AddrNotAvail, 100 => Errno.NetDown,
        101 => Errno.NetUnreach, 102 => Errno.NetReset, 103 => Errno.ConnAborted, 104 => Errno.ConnReset,
        105 => Errno.NoBufs, 106 => Errno.IsConn, 107 => Errno.NotConn, 110 => Errno.TimedOut,
        111 => Errno.ConnRefused, 113 => Errno.HostUnreach, 114 => Errno.Already, 115 => Errno.InProgress,
        116 => Errno.Stale, 122 => Errno.DQuot, 125 => Errno.Canceled, 130 => Errno.OwnerDead,
        131 => Errno.NotRecoverable,
        _ => Errno.Io,
    };

    public static Errno Last() => FromLinux(HostCalls.LastError);

    public static Errno FromSocket(SocketError error) => error switch
    {
        SocketError.Success => Errno.Success,
        SocketError.WouldBlock or SocketError.TryAgain => Errno.Again,
        SocketError.ConnectionReset => Errno.ConnReset,
        SocketError.ConnectionAborted => Errno.ConnAborted,
        SocketError.NotConnected => Errno.NotConn,
        SocketError.Shutdown => Errno.Pipe,
        SocketError.Interrupted => Errno.Intr,
        SocketError.InvalidArgument => Errno.Inval,
        SocketError.TimedOut => Errno.TimedOut,
        SocketError.OperationAborted => Errno.Canceled,
        SocketError.MessageSize => Errno.MsgSize,
        SocketError.NoBufferSpaceAvailable => Errno.NoBufs,
        _ => Errno.Io,
    };
}
