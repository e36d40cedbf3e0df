Gem::Specification.new do |spec|
  spec.name = "baton"
  spec.version = "0.1.0"
  spec.summary = "Handlers for Baton channels: poll events from a host in this or another process and complete them"
  spec.description = "Binds libbaton through the ffi gem. Waits run with the GVL released (blocking: true) " \
                     "in short slices, so other threads run and Thread#kill and Ctrl-C take effect promptly."
  spec.authors = ["Baton"]
  spec.license = "Apache-2.0"
  spec.files = Dir["lib/**/*.rb", "README.md"]
  # make packages stages a copy of this folder with libbaton under lib/baton/native/: that gem carries
  # it, for this platform.
  bundled = Dir["lib/baton/native/*/libbaton.so.*"]
  spec.files += bundled
  spec.platform = Gem::Platform::CURRENT unless bundled.empty?
  spec.required_ruby_version = ">= 3.0"
  spec.add_dependency "ffi", "~> 1.15"
end
