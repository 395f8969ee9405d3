// The real server on a free loopback port, spoken to over raw sockets: keep-alive, gzip, 304, HEAD, limits.
#include "das/serve/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "serve_test_util.h"

namespace das::serve {
namespace {

class Client {
 public:
  explicit Client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~Client() { ::close(fd_); }
  bool connected() const { return connected_; }
  void Send(const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
      ssize_t n = ::send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return;
      off += static_cast<std::size_t>(n);
    }
  }
  // Reads one response (headers + Content-Length body); "" on close/timeout.
  std::string ReadResponse(bool head = false, int timeout_ms = 5000) {
    while (true) {
      std::size_t end = buf_.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t len = 0;
        std::size_t cl = buf_.find("Content-Length: ");
        if (cl != std::string::npos && cl < end && !head) len = std::stoul(buf_.substr(cl + 16));
        if (buf_.size() >= end + 4 + len) {
          std::string r = buf_.substr(0, end + 4 + len);
          buf_.erase(0, end + 4 + len);
          return r;
        }
      }
      if (!Fill(timeout_ms)) return "";
    }
  }
  // True when the server closed the connection within the timeout.
  bool ClosedWithin(int timeout_ms) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < until) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) {
        char c[4096];
        ssize_t n = ::recv(fd_, c, sizeof c, 0);
        if (n <= 0) return true;
        buf_.append(c, static_cast<std::size_t>(n));
      }
    }
    return false;
  }

 private:
  bool Fill(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    char c[65536];
    ssize_t n = ::recv(fd_, c, sizeof c, 0);
    if (n <= 0) return false;
    buf_.append(c, static_cast<std::size_t>(n));
    return true;
  }
  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

std::string Status(const std::string& response) { return response.substr(0, response.find("\r\n")); }

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServedState state = testing::SmallState();
    state.limits.gzip_min_bytes = 100;
    handler_ = std::make_unique<Handler>(std::move(state));
    ServerOptions o;
    o.port = 0;
    o.threads = 2;
    o.read_timeout_seconds = 1;
    o.max_connections = 3;
    o.max_header_bytes = 4096;
    o.handle_signals = false;
    std::promise<std::uint16_t> bound;
    auto f = bound.get_future();
    o.on_listening = [&bound](std::uint16_t p) { bound.set_value(p); };
    server_ = std::make_unique<Server>(handler_.get(), o);
    thread_ = std::thread([this] { run_status_ = server_->Run(); });
    port_ = f.get();
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
    EXPECT_TRUE(run_status_.ok()) << run_status_.ToString();
  }
  std::unique_ptr<Handler> handler_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  das::Status run_status_;
  std::uint16_t port_ = 0;
};

TEST_F(HttpServerTest, KeepAliveGzip304Head) {
  Client c(port_);
  ASSERT_TRUE(c.connected());
  const std::string get = "GET /ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$format=json HTTP/1.1\r\nHost: x\r\n";
  c.Send(get + "\r\n");
  std::string r1 = c.ReadResponse();
  EXPECT_EQ(Status(r1), "HTTP/1.1 200 OK");
  EXPECT_NE(r1.find("Content-Type: application/json; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(r1.find("\"RegioS\":\"NL01  \""), std::string::npos);
  std::size_t e = r1.find("ETag: ");
  ASSERT_NE(e, std::string::npos);
  std::string etag = r1.substr(e + 6, r1.find("\r\n", e) - e - 6);
  // Same connection (keep-alive): gzip, then a conditional request, then HEAD.
  c.Send(get + "Accept-Encoding: gzip\r\n\r\n");
  std::string r2 = c.ReadResponse();
  EXPECT_EQ(Status(r2), "HTTP/1.1 200 OK");
  EXPECT_NE(r2.find("Content-Encoding: gzip\r\n"), std::string::npos);
  auto unz = Gunzip(r2.substr(r2.find("\r\n\r\n") + 4));
  ASSERT_TRUE(unz.ok());
  EXPECT_EQ(*unz, r1.substr(r1.find("\r\n\r\n") + 4));
  c.Send(get + "If-None-Match: " + etag + "\r\n\r\n");
  std::string r3 = c.ReadResponse();
  EXPECT_EQ(Status(r3), "HTTP/1.1 304 Not Modified");
  EXPECT_EQ(r3.substr(r3.find("\r\n\r\n") + 4), "");
  c.Send("HEAD /ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$format=json HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string r4 = c.ReadResponse(true);
  EXPECT_EQ(Status(r4), "HTTP/1.1 200 OK");
  std::string body1 = r1.substr(r1.find("\r\n\r\n") + 4);
  EXPECT_NE(r4.find("Content-Length: " + std::to_string(body1.size()) + "\r\n"), std::string::npos) << r4;
  c.Send("GET /nope/odata HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string r5 = c.ReadResponse();
  EXPECT_EQ(Status(r5), "HTTP/1.1 404 Not Found");
  EXPECT_TRUE(c.ClosedWithin(2000));
}

TEST_F(HttpServerTest, Limits) {
  {
    Client c(port_);
    c.Send("GET /" + std::string(5000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string r = c.ReadResponse();
    EXPECT_EQ(Status(r), "HTTP/1.1 414 URI Too Long");
    EXPECT_NE(r.find("request line longer than 4096 bytes"), std::string::npos);
  }
  {
    Client c(port_);
    c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(5000, 'b') + "\r\n\r\n");
    std::string r = c.ReadResponse();
    EXPECT_EQ(Status(r), "HTTP/1.1 431 Request Header Fields Too Large");
  }
  {
    Client c(port_);
    c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
    EXPECT_EQ(Status(c.ReadResponse()), "HTTP/1.1 413 Payload Too Large");
  }
  {
    Client c(port_);
    c.Send("BLAH\r\n\r\n");
    EXPECT_EQ(Status(c.ReadResponse()), "HTTP/1.1 400 Bad Request");
  }
  {
    // A slow client that never finishes its request is disconnected after the read timeout (1 s).
    Client c(port_);
    c.Send("GET /healthz HTTP/1.1\r\nHo");
    EXPECT_TRUE(c.ClosedWithin(3000));
  }
}

TEST_F(HttpServerTest, MaxConnections) {
  Client a(port_), b(port_), c(port_);
  for (Client* x : {&a, &b, &c}) {
    x->Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(Status(x->ReadResponse()), "HTTP/1.1 200 OK");
  }
  Client d(port_);
  d.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string r = d.ReadResponse();
  EXPECT_EQ(Status(r), "HTTP/1.1 503 Service Unavailable");
  EXPECT_NE(r.find("too many connections: at most 3"), std::string::npos);
}

}  // namespace
}  // namespace das::serve
