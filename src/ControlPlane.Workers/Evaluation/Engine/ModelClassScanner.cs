using System.Text;
using ControlPlane.Workers.Inspection;

namespace ControlPlane.Workers.Evaluation.Engine;

/// <summary>
/// Reads a classifier's class labels from the ONNX protobuf, where ONNX Runtime's API does not expose them: the
/// <c>classlabels_*</c> attributes of the top-level ai.onnx.ml nodes (ZipMap, LinearClassifier,
/// TreeEnsembleClassifier, SVMClassifier…). ZipMap's list wins because it orders the probability maps.
/// Field numbers are those of onnx.proto (ModelProto.graph 7, GraphProto.node 1, NodeProto.op_type 4 and
/// attribute 5, AttributeProto.name 1, ints 8, strings 9).
/// </summary>
internal static class ModelClassScanner
{
    public static ClassLabels? Scan(string modelPath) => MappedFile.Read(modelPath, Scan);

    public static ClassLabels? Scan(ReadOnlySpan<byte> model)
    {
        ClassLabels? found = null;
        foreach (var graph in new FieldValues(model, 7))
            foreach (var node in new FieldValues(graph, 1))
            {
                var labels = NodeClasses(node, out var isZipMap);
                if (labels is not null && (found is null || isZipMap))
                    found = labels;
            }
        return found;
    }

    private static ClassLabels? NodeClasses(ReadOnlySpan<byte> node, out bool isZipMap)
    {
        isZipMap = false;
        foreach (var opType in new FieldValues(node, 4))
            isZipMap = opType.SequenceEqual("ZipMap"u8);
        foreach (var attribute in new FieldValues(node, 5))
        {
            var name = First(attribute, 1);
            if (name.SequenceEqual("classlabels_strings"u8))
            {
                var texts = new List<string>();
                foreach (var text in new FieldValues(attribute, 9))
                    texts.Add(Encoding.UTF8.GetString(text));
                return ClassLabels.Strings(texts);
            }
            if (name.SequenceEqual("classlabels_ints"u8) || name.SequenceEqual("classlabels_int64s"u8))
                return ClassLabels.Int64(Ints(attribute, 8));
        }
        return null;
    }

    private static ReadOnlySpan<byte> First(ReadOnlySpan<byte> message, int field)
    {
        foreach (var value in new FieldValues(message, field))
            return value;
        return default;
    }

    private static List<long> Ints(ReadOnlySpan<byte> message, int field)
    {
        var result = new List<long>();
        var reader = new ProtoReader(message);
        while (reader.Next(out var number, out var wire))
        {
            if (number == field && wire == 0)
                result.Add((long)reader.Varint());
            else if (number == field && wire == 2)
            {
                var packed = new ProtoReader(reader.Bytes());
                while (!packed.End)
                    result.Add((long)packed.Varint());
            }
            else
                reader.Skip(wire);
        }
        return result;
    }

    /// <summary>The length-delimited values of one field of a message, in order, as slices of it (nothing is copied).</summary>
    private ref struct FieldValues
    {
        private readonly int _field;
        private ProtoReader _reader;

        public FieldValues(ReadOnlySpan<byte> message, int field)
        {
            _reader = new ProtoReader(message);
            _field = field;
        }

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly FieldValues GetEnumerator() => this;

        public bool MoveNext()
        {
            while (_reader.Next(out var number, out var wire))
            {
                if (number == _field && wire == 2)
                {
                    Current = _reader.Bytes();
                    return true;
                }
                _reader.Skip(wire);
            }
            return false;
        }
    }

    private ref struct ProtoReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool End => _position >= _data.Length;

        public bool Next(out int field, out int wire)
        {
            (field, wire) = (0, 0);
            if (End)
                return false;
            var key = Varint();
            (field, wire) = ((int)(key >> 3), (int)(key & 7));
            return true;
        }

        public ulong Varint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (End)
                    throw new InvalidDataException("The model ends inside a number.");
                var b = _data[_position++];
                result |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                    return result;
            }
            throw new InvalidDataException("Malformed varint in the model.");
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = (int)Math.Min(Varint(), int.MaxValue);
            if (length > _data.Length - _position)
                throw new InvalidDataException("A field runs past the end of the model.");
            var value = _data.Slice(_position, length);
            _position += length;
            return value;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: Advance(8); break;
                case 2: Bytes(); break;
                case 5: Advance(4); break;
                default: throw new InvalidDataException($"Unsupported protobuf wire type {wire}.");
            }
        }

        private void Advance(int count)
        {
            if (count > _data.Length - _position)
                throw new InvalidDataException("A field runs past the end of the model.");
            _position += count;
        }
    }
}
