using Google.Protobuf;
using WasmKube.Shim.Protocol.Ttrpc;

namespace WasmKube.Shim.Ttrpc;

/// <summary>Handles one decoded request: (service, method, payload) → response payload, or a <see cref="TtrpcException"/>.</summary>
public delegate Task<IMessage> TtrpcHandler(Request request, CancellationToken cancellationToken);
