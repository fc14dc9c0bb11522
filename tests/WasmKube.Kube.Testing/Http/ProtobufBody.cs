using System.Text;
using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing.Http;

/// <summary>
/// Decodes the protobuf request bodies client-go's typed clients send (Content-Type application/vnd.kubernetes.protobuf)
/// for the few kinds that clients such as Helm's release storage write that way: Secret, ConfigMap, Namespace, and the
/// DeleteOptions body of a DELETE.
/// The body is the "k8s\0" magic followed by a runtime.Unknown {typeMeta, raw} whose raw bytes are the object
/// (k8s.io/api core/v1 generated.proto). Other kinds keep getting 415, as the server never claimed protobuf support.
/// </summary>
internal static class ProtobufBody
{
    static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    public static JsonObject Decode(ReadOnlySpan<byte> body, string contentType)
    {
        if (!body.StartsWith(Magic))
        {
            throw ApiException.BadRequest("a protobuf body must start with the k8s\\0 envelope magic");
        }
        string? apiVersion = null, kind = null;
        byte[]? raw = null;
        foreach (var (field, value) in Fields(body[Magic.Length..].ToArray()))
        {
            switch (field)
            {
                case 1:
                    foreach (var (typeField, typeValue) in Fields(value.Bytes))
                    {
                        if (typeField == 1) apiVersion = typeValue.String;
                        if (typeField == 2) kind = typeValue.String;
                    }
                    break;
                case 2:
                    raw = value.Bytes;
                    break;
            }
        }
        if (raw is null)
        {
            throw ApiException.UnsupportedMediaType(contentType);
        }
        var obj = (apiVersion, kind) switch
        {
            ("v1", "Secret") => Secret(raw),
            ("v1", "ConfigMap") => ConfigMap(raw),
            ("v1", "Namespace") => Namespace(raw),
            // client-go sends the options of a DELETE as its body.
            (_, "DeleteOptions") => DeleteOptions(raw),
            _ => throw ApiException.UnsupportedMediaType(contentType),
        };
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    static JsonObject Secret(byte[] message)
    {
        var secret = new JsonObject();
        foreach (var (field, value) in Fields(message))
        {
            switch (field)
            {
                case 1: secret["metadata"] = ObjectMeta(value.Bytes); break;
                case 2: AddEntry(secret, "data", value.Bytes, v => Convert.ToBase64String(v)); break;
                case 3: secret["type"] = value.String; break;
                case 4: AddEntry(secret, "stringData", value.Bytes, v => Encoding.UTF8.GetString(v)); break;
                case 5: secret["immutable"] = value.Varint != 0; break;
            }
        }
        return secret;
    }

    static JsonObject ConfigMap(byte[] message)
    {
        var configMap = new JsonObject();
        foreach (var (field, value) in Fields(message))
        {
            switch (field)
            {
                case 1: configMap["metadata"] = ObjectMeta(value.Bytes); break;
                case 2: AddEntry(configMap, "data", value.Bytes, v => Encoding.UTF8.GetString(v)); break;
                case 3: AddEntry(configMap, "binaryData", value.Bytes, v => Convert.ToBase64String(v)); break;
                case 4: configMap["immutable"] = value.Varint != 0; break;
            }
        }
        return configMap;
    }

    static JsonObject Namespace(byte[] message)
    {
        var ns = new JsonObject();
        foreach (var (field, value) in Fields(message))
        {
            if (field == 1) ns["metadata"] = ObjectMeta(value.Bytes);
        }
        return ns;
    }

    static JsonObject DeleteOptions(byte[] message)
    {
        var options = new JsonObject();
        foreach (var (field, value) in Fields(message))
        {
            switch (field)
            {
                case 1: options["gracePeriodSeconds"] = (long)value.Varint; break;
                case 2:
                    var preconditions = new JsonObject();
                    foreach (var (p, v) in Fields(value.Bytes))
                    {
                        if (p == 1) preconditions["uid"] = v.String;
                        if (p == 2) preconditions["resourceVersion"] = v.String;
                    }
                    options["preconditions"] = preconditions;
                    break;
                case 3: options["orphanDependents"] = value.Varint != 0; break;
                case 4: options["propagationPolicy"] = value.String; break;
                case 5: ((options["dryRun"] ??= new JsonArray()) as JsonArray)!.Add(value.String); break;
            }
        }
        return options;
    }

    /// <summary>The ObjectMeta fields a client sets on a write; server-set ones (uid, timestamps, ...) as far as they matter.</summary>
    static JsonObject ObjectMeta(byte[] message)
    {
        var meta = new JsonObject();
        foreach (var (field, value) in Fields(message))
        {
            switch (field)
            {
                case 1: meta["name"] = value.String; break;
                case 2: meta["generateName"] = value.String; break;
                case 3: meta["namespace"] = value.String; break;
                case 5: meta["uid"] = value.String; break;
                case 6: meta["resourceVersion"] = value.String; break;
                case 11: AddEntry(meta, "labels", value.Bytes, v => Encoding.UTF8.GetString(v)); break;
                case 12: AddEntry(meta, "annotations", value.Bytes, v => Encoding.UTF8.GetString(v)); break;
                case 14: ((meta["finalizers"] ??= new JsonArray()) as JsonArray)!.Add(value.String); break;
            }
        }
        return meta;
    }

    /// <summary>Adds one map entry (a message with key = 1 and value = 2) to the object property <paramref name="name"/>.</summary>
    static void AddEntry(JsonObject parent, string name, byte[] entry, Func<byte[], string> value)
    {
        string? key = null;
        var bytes = Array.Empty<byte>();
        foreach (var (field, v) in Fields(entry))
        {
            if (field == 1) key = v.String;
            if (field == 2) bytes = v.Bytes;
        }
        var map = (parent[name] ??= new JsonObject()).AsObject();
        map[key ?? ""] = value(bytes);
    }

    readonly record struct WireValue(ulong Varint, byte[] Bytes)
    {
        public string String => Encoding.UTF8.GetString(Bytes);
    }

    /// <summary>The fields of a protobuf message in order (varint and length-delimited; fixed-width ones skipped).</summary>
    static IEnumerable<(int Field, WireValue Value)> Fields(byte[] message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    yield return (field, new WireValue(ReadVarint(message, ref position), []));
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    if (length < 0 || position + length > message.Length)
                    {
                        throw ApiException.BadRequest("the protobuf body is truncated");
                    }
                    yield return (field, new WireValue(0, message[position..(position + length)]));
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw ApiException.BadRequest($"the protobuf body has an unsupported wire type {tag & 7}");
            }
        }
    }

    static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= message.Length)
            {
                throw ApiException.BadRequest("the protobuf body is truncated");
            }
            var b = message[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw ApiException.BadRequest("the protobuf body has a malformed varint");
    }
}
