// The HTTP/1.1 server of `das serve`: Boost.Beast + Asio, keep-alive, several threads, a Handler per process.
// This header is free of Boost; Beast lives in src/serve/server.cc only.
//
// Socket-level limits (answered with a one-line JSON error, then the connection is closed):
//   request line longer than max_header_bytes -> 414; header block longer than max_header_bytes -> 431;
//   a request body on GET/HEAD (any body > 0 bytes) -> 413; a client that does not send a complete request
//   within read_timeout (or stays idle on keep-alive that long) is disconnected; a response not taken up within
//   write_timeout is abandoned; beyond max_connections concurrent connections new ones get 503 and are closed.
//
// Threading: RunServer blocks the caller and runs `threads` I/O threads; Stop() (any thread, also from a signal
// handler installed by RunServer for SIGINT/SIGTERM) makes it return after open requests finish.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "das/core/status.h"
#include "das/serve/handler.h"

namespace das::serve {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;      // 0 = any free port (see on_listening)
  int threads = 2;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_connections = 1024;
  int read_timeout_seconds = 15;
  int write_timeout_seconds = 60;
  bool handle_signals = true;     // stop on SIGINT / SIGTERM
  // Called once the socket listens, with the bound port (e.g. to print the URL).
  std::function<void(std::uint16_t port)> on_listening;
};

class Server {
 public:
  Server(const Handler* handler, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Listens and serves until Stop() or a signal. Errors: IoError when the address cannot be bound.
  Status Run();
  // Asks Run() to return; safe from any thread.
  void Stop();

  struct Impl;  // defined in server.cc (Boost)

 private:
  Impl* impl_;
};

}  // namespace das::serve
