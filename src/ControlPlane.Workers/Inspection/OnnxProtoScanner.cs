namespace ControlPlane.Workers.Inspection;

/// <summary>What the raw ONNX protobuf says before any runtime touches it.</summary>
internal sealed record OnnxProtoFacts(long IrVersion, string? ProducerName, string? ProducerVersion, IReadOnlyDictionary<string, long> Opsets, bool HasGraph, string? ExternalDataLocation);

/// <summary>
/// A minimal protobuf walk over an ONNX ModelProto that proves the bytes parse (so truncated or mislabeled
/// files are told apart from models), reads IR version, producer and opset imports, and finds any tensor that
/// declares external data: ONNX Runtime would open such paths relative to the model, so those models are refused
/// before a session is created. Field numbers are those of onnx.proto3.
/// </summary>
internal static class OnnxProtoScanner
{
    private enum Message { Model, Graph, Node, Attribute, Tensor, SparseTensor, Function, OperatorSet, StringEntry, Other }

    public static OnnxProtoFacts Scan(ReadOnlySpan<byte> bytes)
    {
        var facts = new Builder();
        Walk(bytes, Message.Model, facts, depth: 0);
        return new OnnxProtoFacts(facts.IrVersion, facts.Producer, facts.ProducerVersion, facts.Opsets, facts.HasGraph, facts.External);
    }

    private sealed class Builder
    {
        public long IrVersion;
        public string? Producer, ProducerVersion, External, OpsetDomain;
        public long OpsetVersion;
        public bool HasGraph;
        public Dictionary<string, long> Opsets { get; } = new(StringComparer.Ordinal);
    }

    private static Message Child(Message parent, int field) => (parent, field) switch
    {
        (Message.Model, 7) => Message.Graph,
        (Message.Model, 8) => Message.OperatorSet,
        (Message.Model, 25) => Message.Function,
        (Message.Graph, 1) => Message.Node,
        (Message.Graph, 5) => Message.Tensor,
        (Message.Graph, 15) => Message.SparseTensor,
        (Message.Node, 5) => Message.Attribute,
        (Message.Attribute, 5) or (Message.Attribute, 10) => Message.Tensor,
        (Message.Attribute, 6) or (Message.Attribute, 11) => Message.Graph,
        (Message.Attribute, 22) or (Message.Attribute, 23) => Message.SparseTensor,
        (Message.SparseTensor, 1) or (Message.SparseTensor, 2) => Message.Tensor,
        (Message.Function, 7) => Message.Node,
        (Message.Tensor, 13) => Message.StringEntry,
        _ => Message.Other,
    };

    private static void Walk(ReadOnlySpan<byte> data, Message message, Builder facts, int depth)
    {
        if (depth > 64)
            throw new InvalidDataException("The protobuf nests deeper than any ONNX model does.");
        var position = 0;
        while (position < data.Length)
        {
            var at = position;
            var key = ReadVarint(data, ref position);
            var field = (int)(key >> 3);
            var wire = (int)(key & 7);
            if (field == 0)
                throw new InvalidDataException($"Field number 0 at byte {at}.");
            switch (wire)
            {
                case 0:
                    var value = ReadVarint(data, ref position);
                    if (message == Message.Model && field == 1) facts.IrVersion = (long)value;
                    if (message == Message.OperatorSet && field == 2) facts.OpsetVersion = (long)value;
                    if (message == Message.Tensor && field == 14 && value == 1) facts.External ??= "(data_location = EXTERNAL)";
                    break;
                case 1:
                    Skip(data, ref position, 8);
                    break;
                case 5:
                    Skip(data, ref position, 4);
                    break;
                case 2:
                    var length = (int)Math.Min(ReadVarint(data, ref position), int.MaxValue);
                    if (length > data.Length - position)
                        throw new InvalidDataException($"A field at byte {at} claims {length:N0} bytes but only {data.Length - position:N0} remain (truncated file?).");
                    var payload = data.Slice(position, length);
                    position += length;
                    Field(payload, message, field, facts, depth);
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {wire} at byte {at}.");
            }
        }
        if (message == Message.OperatorSet)
        {
            facts.Opsets[facts.OpsetDomain is null or "" ? "ai.onnx" : facts.OpsetDomain] = facts.OpsetVersion;
            (facts.OpsetDomain, facts.OpsetVersion) = (null, 0);
        }
    }

    private static void Field(ReadOnlySpan<byte> payload, Message message, int field, Builder facts, int depth)
    {
        switch (message, field)
        {
            case (Message.Model, 2): facts.Producer = Text(payload); return;
            case (Message.Model, 3): facts.ProducerVersion = Text(payload); return;
            case (Message.OperatorSet, 1): facts.OpsetDomain = Text(payload); return;
            case (Message.StringEntry, 2): facts.External ??= Text(payload); return;
            case (Message.Model, 7): facts.HasGraph = true; break;
        }
        var child = Child(message, field);
        if (child != Message.Other)
            Walk(payload, child, facts, depth + 1);
    }

    private static string Text(ReadOnlySpan<byte> payload) => System.Text.Encoding.UTF8.GetString(payload);

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
                throw new InvalidDataException($"The file ends in the middle of a number at byte {position} (truncated file?).");
            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return result;
        }
        throw new InvalidDataException($"Malformed varint before byte {position}.");
    }

    private static void Skip(ReadOnlySpan<byte> data, ref int position, int count)
    {
        if (data.Length - position < count)
            throw new InvalidDataException($"The file ends at byte {data.Length}, inside a field (truncated file?).");
        position += count;
    }
}
