import CZlib
import LagrangeCore

/// gzip-compressed problem files (`afiro.mps.gz`), read as GLPK and HiGHS read them.
enum Gzip {
    /// The largest decompressed size accepted, the readers' one byte cap: a bomb (a small
    /// file that inflates without end) is refused with an error instead of exhausting memory.
    static let maxDecompressedBytes = TextFile.maximumBytes

    /// Whether `bytes` start with the gzip magic number.
    static func isCompressed(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// The decompressed contents of a gzip stream (concatenated members included);
    /// `file` names it in errors.
    static func decompress(_ bytes: [UInt8], file: String) throws(InputError) -> [UInt8] {
        var stream = z_stream()
        // 16 + MAX_WBITS: a gzip header and trailer, not raw zlib.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InputError(file: file, "cannot start gzip decompression")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(maxDecompressedBytes, bytes.count * 4))
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        var input = bytes
        let total = input.count
        var consumed = 0
        while true {
            var code: Int32 = Z_OK
            var produced = 0
            input.withUnsafeMutableBufferPointer { inBuffer in
                chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_in = inBuffer.baseAddress.map { $0 + consumed }
                    stream.avail_in = UInt32(total - consumed)
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = UInt32(outBuffer.count)
                    code = inflate(&stream, Z_NO_FLUSH)
                    produced = outBuffer.count - Int(stream.avail_out)
                    consumed = total - Int(stream.avail_in)
                }
            }
            output.append(contentsOf: chunk[0..<produced])
            guard output.count <= maxDecompressedBytes else {
                throw InputError(file: file, "decompresses to more than \(maxDecompressedBytes >> 20) MiB; refused")
            }
            switch code {
            case Z_STREAM_END:
                // Another gzip member may follow (as `cat a.gz b.gz` makes).
                guard consumed < total, isCompressed(Array(input[consumed...].prefix(2))) else { return output }
                guard inflateReset(&stream) == Z_OK else { throw InputError(file: file, "corrupt gzip data") }
            case Z_OK:
                if produced == 0 && consumed == total { throw InputError(file: file, "the gzip data ends early (truncated file)") }
            case Z_BUF_ERROR:
                throw InputError(file: file, "the gzip data ends early (truncated file)")
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "code \(code)"
                throw InputError(file: file, "corrupt gzip data (\(reason))")
            }
        }
    }
}
