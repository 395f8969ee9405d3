// The Boost.Beast HTTP/1.1 server: accepts connections, parses requests with limits, calls Handler::Handle and
// writes the response. The only translation unit that includes Boost.
#include "das/serve/server.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/span_body.hpp>

namespace das::serve {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Server::Impl {
  // Order matters: sessions still queued in `ioc` are destroyed with it and touch `connections`.
  const Handler* handler;
  ServerOptions options;
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> stopping{false};
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::optional<net::signal_set> signals;

  Impl(const Handler* h, ServerOptions o)
      : handler(h), options(std::move(o)), ioc(std::max(1, options.threads)), acceptor(net::make_strand(ioc)) {}

  void DoAccept();
};

namespace {

std::string ErrorBody(int status, const std::string& message) {
  return "{\"error\":{\"code\":\"" + std::to_string(status) + "\",\"message\":\"" + message + "\"}}\n";
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Server::Impl* server, bool reject)
      : stream_(std::move(socket)), server_(server), reject_(reject) {}

  ~Session() {
    if (!reject_) {
      server_->connections.fetch_sub(1);
      server_->handler->metrics().ConnectionClosed();
    }
  }

  void Start() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::Begin, shared_from_this()));
  }

 private:
  void Begin() {
    if (reject_) {
      SendError(503, "too many connections: at most " + std::to_string(server_->options.max_connections) +
                         "; try again later");
      return;
    }
    DoRead();
  }

  void DoRead() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_->options.max_header_bytes));
    parser_->body_limit(0);
    stream_.expires_after(std::chrono::seconds(server_->options.read_timeout_seconds));
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      return Close();
    }
    if (ec == http::error::header_limit) {
      // No line break within the limit: the request line itself is too long.
      std::string_view data(static_cast<const char*>(buffer_.data().data()), buffer_.data().size());
      if (data.find("\r\n") == std::string_view::npos) {
        return SendError(414, "request line longer than " + std::to_string(server_->options.max_header_bytes) +
                                  " bytes");
      }
      return SendError(431, "request header fields longer than " +
                                std::to_string(server_->options.max_header_bytes) + " bytes");
    }
    if (ec == http::error::body_limit || ec == http::error::unexpected_body) {
      return SendError(413, "request bodies are not accepted (read-only API)");
    }
    if (ec) return SendError(400, "malformed HTTP request");
    const auto start = std::chrono::steady_clock::now();
    const auto& req = parser_->get();
    Request request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    for (const auto& field : req) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    Response r = server_->handler->Handle(request, /*share_cached_body=*/true);
    const bool keep = req.keep_alive() && !server_->stopping.load();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    server_->handler->metrics().Record(r.status, r.content_length, seconds);
    if (r.shared_body) {
      // A cached body: sent from the cache's bytes without a copy; the shared_ptr lives until the write ends.
      auto res = std::make_shared<http::response<http::span_body<const char>>>();
      Fill(*res, r, req.version(), keep);
      res->body() = boost::span<const char>(r.shared_body->data(), r.shared_body->size());
      Write(std::move(res), !keep, std::move(r.shared_body));
      return;
    }
    auto res = std::make_shared<http::response<http::string_body>>();
    Fill(*res, r, req.version(), keep);
    res->body() = std::move(r.body);
    Write(std::move(res), !keep, nullptr);
  }

  template <class Message>
  static void Fill(Message& res, const Response& r, unsigned version, bool keep) {
    res.version(version);
    res.result(static_cast<unsigned>(r.status));
    res.set(http::field::server, "das");
    for (const auto& [k, v] : r.headers) res.insert(k, v);
    res.keep_alive(keep);
    if (r.status != 304 && r.status != 204) res.content_length(r.content_length);
  }

  void SendError(int status, const std::string& message) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(status));
    res->set(http::field::server, "das");
    res->set(http::field::content_type, "application/json; charset=utf-8");
    res->set(http::field::access_control_allow_origin, "*");
    res->set(http::field::cache_control, "no-store");
    res->keep_alive(false);
    res->body() = ErrorBody(status, message);
    res->prepare_payload();
    server_->handler->metrics().Record(status, res->body().size(), 0);
    Write(std::move(res), true, nullptr);
  }

  template <class Body>
  void Write(std::shared_ptr<http::response<Body>> res, bool close, std::shared_ptr<const std::string> keep_alive) {
    stream_.expires_after(std::chrono::seconds(server_->options.write_timeout_seconds));
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res, close, keep_alive](beast::error_code ec, std::size_t) {
                        if (ec || close) return self->Close();
                        self->DoRead();
                      });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  Server::Impl* server_;
  bool reject_;
};

}  // namespace

void Server::Impl::DoAccept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!acceptor.is_open()) return;
      return DoAccept();
    }
    bool reject = connections.load() >= options.max_connections;
    if (reject) {
      handler->metrics().ConnectionRejected();
    } else {
      connections.fetch_add(1);
      handler->metrics().ConnectionOpened();
    }
    std::make_shared<Session>(std::move(socket), this, reject)->Start();
    DoAccept();
  });
}

Server::Server(const Handler* handler, ServerOptions options) : impl_(new Impl(handler, std::move(options))) {}

Server::~Server() { delete impl_; }

Status Server::Run() {
  Impl& s = *impl_;
  beast::error_code ec;
  auto address = net::ip::make_address(s.options.address, ec);
  if (ec) return Status::InvalidArgument("serve: bad address '" + s.options.address + "': " + ec.message());
  tcp::endpoint endpoint(address, s.options.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IoError("serve: cannot listen on " + s.options.address + ":" + std::to_string(s.options.port) +
                           ": " + ec.message());
  }
  if (s.options.handle_signals) {
    s.signals.emplace(s.ioc, SIGINT, SIGTERM);
    s.signals->async_wait([this](beast::error_code e, int) {
      if (!e) Stop();
    });
  }
  if (s.options.on_listening) s.options.on_listening(s.acceptor.local_endpoint().port());
  s.DoAccept();
  std::vector<std::thread> threads;
  for (int i = 1; i < s.options.threads; ++i) threads.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : threads) t.join();
  return Status::Ok();
}

void Server::Stop() {
  Impl& s = *impl_;
  s.stopping.store(true);
  net::post(s.acceptor.get_executor(), [&s] {
    beast::error_code ec;
    s.acceptor.close(ec);
    if (s.signals) s.signals->cancel(ec);
    s.ioc.stop();
  });
}

}  // namespace das::serve
