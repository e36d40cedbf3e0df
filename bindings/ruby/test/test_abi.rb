# frozen_string_literal: true

# Holds the hand-written structs and constants to what the C compiler makes of baton.h
# (tests/c/abi_dump.c, run from $BATON_ABI_DUMP, which make test-ruby sets).
require "minitest/autorun"
require "baton"

class TestAbi < Minitest::Test
  def setup
    @c = IO.popen([ENV.fetch("BATON_ABI_DUMP")], &:read).lines.to_h do |line|
      kind, name, value = line.split
      ["#{kind} #{name}", Integer(value)]
    end
  end

  def c_name(struct)
    "baton_#{struct.name.split('::').last.gsub(/(?<!^)([A-Z])/, '_\1').downcase}"
  end

  def test_every_api_struct_has_the_headers_size_and_offsets
    Baton::Native::STRUCTS.each_value do |struct|
      name = c_name(struct)
      assert_equal @c.fetch("size #{name}"), struct.size, name
      dumped = @c.keys.filter_map { |key| key.delete_prefix("offset #{name}.") if key.start_with?("offset #{name}.") }
      assert_equal dumped.sort, struct.members.map(&:to_s).sort, "fields of #{name}"
      struct.members.each { |field| assert_equal @c.fetch("offset #{name}.#{field}"), struct.offset_of(field), "#{name}.#{field}" }
    end
  end

  def test_every_struct_id_names_its_struct
    ids = @c.select { |key, _| key.start_with?("define BATON_STRUCT_") }
    assert_equal Baton::Native::STRUCTS.keys.sort, ids.values.sort
    ids.each_value { |id| assert_equal Baton::Native::STRUCTS[id].size, Baton::Native.baton_struct_size(id) }
  end

  def test_every_code_and_constant_has_the_headers_value
    Baton::CODES.each { |name, code| assert_equal @c.fetch("define BATON_#{name}"), code, name }
    { "ABI_MAJOR" => Baton::Native::ABI_MAJOR, "WAIT_FOREVER" => Baton::Native::WAIT_FOREVER,
      "OPEN_ANY_OWNER" => Baton::Native::OPEN_ANY_OWNER, "FILE_MODE_DEFAULT" => Baton::Native::FILE_MODE_DEFAULT,
      "SLOT_HEADER_LENGTH" => Baton::Native::SLOT_HEADER_LENGTH,
      "COMPLETION_BODY_LENGTH" => Baton::Native::COMPLETION_BODY_LENGTH,
      "BLOCK_CLASSES" => Baton::Native::BLOCK_CLASSES, "BLOCK_SIZE_MIN" => Baton::Native::BLOCK_SIZE_MIN }.each do |name, value|
      assert_equal @c.fetch("define BATON_#{name}"), value, name
    end
    assert_operator @c.fetch("define BATON_ABI_MINOR"), :>=, Baton::Native::ABI_MINOR
  end

  def test_a_library_of_another_abi_or_struct_size_is_refused_with_its_reason
    sizes = Baton::Native::STRUCTS.transform_values(&:size)
    major = Baton::Native::ABI_MAJOR
    error = assert_raises(Baton::Native::LibraryMismatch) do
      Baton::Native.check((major + 1) << 16, sizes, "libbaton-next.so")
    end
    assert_match(/has ABI #{major + 1}.0; this binding needs #{major}/, error.message)
    error = assert_raises(Baton::Native::LibraryMismatch) do
      Baton::Native.check(Baton::Native.baton_abi_version, sizes.merge(2 => 8), "libbaton-odd.so")
    end
    assert_match(/8-byte Baton::Native::Event; this binding was generated with one of 80/, error.message)
  end

  def test_the_library_is_baton_library_else_the_one_the_gem_carries
    if ENV.key?("BATON_LIBRARY")
      assert_equal ENV.fetch("BATON_LIBRARY"), Baton::Native.library_path
    else
      carried = File.join(Gem.loaded_specs.fetch("baton").full_gem_path, "lib", "baton", "native", "")
      assert Baton::Native.library_path.start_with?(carried), Baton::Native.library_path
      assert File.exist?(Baton::Native.library_path)
    end
  end

  def test_a_missing_library_is_named_with_what_to_do
    output = IO.popen({ "BATON_LIBRARY" => "/nonexistent/libbaton.so" },
                      ["ruby", "-I#{File.expand_path('../lib', __dir__)}", "-e", "require 'baton'"], err: %i[child out], &:read)
    assert_match(/install it \(make install\) or set BATON_LIBRARY/, output)
  end
end
